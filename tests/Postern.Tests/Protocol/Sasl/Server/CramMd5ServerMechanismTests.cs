using System.Text;
using Postern.Core.Auth;
using Postern.Protocol.Sasl.Client;
using Postern.Protocol.Sasl.Server;
using static Postern.Tests.Protocol.Sasl.Server.SaslTestSupport;

namespace Postern.Tests.Protocol.Sasl.Server;

public sealed class CramMd5ServerMechanismTests
{
    private const string RfcChallenge = "<1896.697170952@postoffice.reston.mci.net>";

    private readonly FakeUserDirectory _users = new(User("tim", "tanstaaftanstaaf"), User("nosecret", "tanstaaftanstaaf", passwordEquivalent: false));

    [Fact]
    public async Task Rfc_2195_example()
    {
        var cram = new CramMd5ServerMechanism(Context(_users), RfcChallenge);
        Assert.Equal(RfcChallenge, Text(await StepAsync(cram, (string?)null)));
        AssertSuccess(await StepAsync(cram, "tim b913a602c7eda7a495b4e6e7334d3890"), "tim");
    }

    [Fact]
    public void Rfc_2195_digest()
    {
        var digest = CramMd5ServerMechanism.Digest(Encoding.ASCII.GetBytes("tanstaaftanstaaf"), Encoding.ASCII.GetBytes(RfcChallenge));
        Assert.Equal("b913a602c7eda7a495b4e6e7334d3890", Convert.ToHexStringLower(digest));
    }

    [Fact]
    public async Task The_challenge_names_the_server_and_carries_a_timestamp()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var cram = new CramMd5ServerMechanism(Context(_users), Settings with { TimeProvider = time });
        Assert.Matches(@"^<\d+\.1700000000@mx\.example\.org>$", Text(await StepAsync(cram, (string?)null)));
    }

    [Fact]
    public async Task Round_trip_with_the_client_mechanism()
    {
        AssertSuccess(await RunAsync(Create("CRAM-MD5", Context(_users)), new CramMd5ClientMechanism(new SaslClientCredentials("tim", "tanstaaftanstaaf"))), "tim");
    }

    [Theory]
    [InlineData("tim", "wrong")]
    [InlineData("nobody", "tanstaaftanstaaf")]
    [InlineData("nosecret", "tanstaaftanstaaf")]
    public async Task Wrong_password_unknown_user_and_missing_secret_are_bad_credentials(string user, string password)
    {
        AssertFailure(await RunAsync(Create("CRAM-MD5", Context(_users)), new CramMd5ClientMechanism(new SaslClientCredentials(user, password))), SaslFailureReason.BadCredentials);
    }

    [Theory]
    [InlineData("tim")]
    [InlineData("tim b913a602c7eda7a495b4e6e7334d389")]
    [InlineData("tim b913a602c7eda7a495b4e6e7334d389z")]
    [InlineData(" b913a602c7eda7a495b4e6e7334d3890")]
    [InlineData("")]
    public async Task Malformed_responses_are_refused(string response)
    {
        var cram = new CramMd5ServerMechanism(Context(_users), RfcChallenge);
        await StepAsync(cram, (string?)null);
        AssertFailure(await StepAsync(cram, response), SaslFailureReason.Malformed);
    }

    [Fact]
    public async Task An_initial_response_is_refused()
    {
        AssertFailure(await StepAsync(Create("CRAM-MD5", Context(_users)), "tim"), SaslFailureReason.Malformed);
    }

    [Fact]
    public async Task Needs_the_password_equivalent()
    {
        Assert.True(SaslServerMechanisms.NeedsPasswordEquivalent("cram-md5"));
        var onlyHash = new FakeUserDirectory(new UserRecord("tim") { PasswordHash = PasswordHash.Create("tanstaaftanstaaf", FastIterations) });
        var cram = new CramMd5ServerMechanism(Context(onlyHash), RfcChallenge);
        await StepAsync(cram, (string?)null);
        AssertFailure(await StepAsync(cram, "tim b913a602c7eda7a495b4e6e7334d3890"), SaslFailureReason.BadCredentials);
    }
}
