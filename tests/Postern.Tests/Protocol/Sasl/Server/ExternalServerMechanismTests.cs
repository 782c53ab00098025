using Postern.Protocol.Sasl.Server;
using static Postern.Tests.Protocol.Sasl.Server.SaslTestSupport;

namespace Postern.Tests.Protocol.Sasl.Server;

public sealed class ExternalServerMechanismTests
{
    private readonly SaslServerContext _mapped = Context(new FakeUserDirectory()) with { IsTls = true, ExternalIdentity = "alice" };

    [Fact]
    public void Available_only_with_a_mapped_verified_certificate_inside_tls()
    {
        var external = new SaslServerMechanisms(Settings).Find("EXTERNAL")!;
        Assert.True(external.IsAvailable(_mapped));
        Assert.False(external.IsAvailable(_mapped with { ExternalIdentity = null }));
        Assert.False(external.IsAvailable(_mapped with { IsTls = false }));
        Assert.False(external.IsPlaintext);
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("Alice")]
    public async Task Empty_or_equal_authzid_succeeds_as_the_mapped_identity(string authzid)
    {
        AssertSuccess(await StepAsync(Create("EXTERNAL", _mapped), authzid), "alice");
    }

    [Fact]
    public async Task Another_authzid_is_refused()
    {
        AssertFailure(await StepAsync(Create("EXTERNAL", _mapped), "root"), SaslFailureReason.AuthorizationRefused);
    }

    [Fact]
    public async Task Without_an_initial_response_an_empty_challenge_asks_for_the_authzid()
    {
        var external = Create("EXTERNAL", _mapped);
        var challenge = await StepAsync(external, (string?)null);
        Assert.Equal(SaslStepKind.Challenge, challenge.Kind);
        Assert.True(challenge.Challenge.IsEmpty);
        AssertSuccess(await StepAsync(external, ""), "alice");
    }

    [Fact]
    public async Task Without_a_mapped_identity_nobody_authenticates()
    {
        AssertFailure(await StepAsync(Create("EXTERNAL", _mapped with { ExternalIdentity = null }), ""), SaslFailureReason.BadCredentials);
    }

    [Fact]
    public async Task A_nul_in_the_authzid_is_malformed()
    {
        AssertFailure(await StepAsync(Create("EXTERNAL", _mapped), "alice\0root"), SaslFailureReason.Malformed);
    }
}
