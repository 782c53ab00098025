using Postern.Protocol.Sasl.Client;
using Postern.Protocol.Sasl.Server;
using static Postern.Tests.Protocol.Sasl.Server.SaslTestSupport;

namespace Postern.Tests.Protocol.Sasl.Server;

public sealed class PlainServerMechanismTests
{
    private readonly FakeUserDirectory _users = new(User("tim", "tanstaaftanstaaf"), User("alice", "correct horse") with { }, new Postern.Core.Auth.UserRecord("off") { PasswordHash = Postern.Core.Auth.PasswordHash.Create("pw", FastIterations), Disabled = true });

    private ISaslServerMechanism Plain() => Create("PLAIN", Context(_users));

    [Fact]
    public async Task Rfc_4616_example_without_authzid_succeeds()
    {
        AssertSuccess(await StepAsync(Plain(), "\0tim\0tanstaaftanstaaf"), "tim");
    }

    [Fact]
    public async Task Rfc_4616_example_with_another_authzid_is_refused_as_proxy_authorization()
    {
        // "Ursel" acting as "Kurt" in the RFC; here tim asks to act as alice.
        var step = await StepAsync(Plain(), "alice\0tim\0tanstaaftanstaaf");
        AssertFailure(step, SaslFailureReason.AuthorizationRefused);
        Assert.Equal("tim", step.Failure!.AttemptedUser);
    }

    [Theory]
    [InlineData("tim")]
    [InlineData("TIM")]
    public async Task An_authzid_equal_to_the_user_succeeds(string authzid)
    {
        AssertSuccess(await StepAsync(Plain(), authzid + "\0tim\0tanstaaftanstaaf"), "tim");
    }

    [Fact]
    public async Task User_names_match_case_insensitively_and_the_identity_is_the_stored_name()
    {
        AssertSuccess(await StepAsync(Plain(), "\0Tim\0tanstaaftanstaaf"), "tim");
    }

    [Fact]
    public async Task Without_an_initial_response_an_empty_challenge_asks_for_it()
    {
        var plain = Plain();
        var challenge = await StepAsync(plain, (string?)null);
        Assert.Equal(SaslStepKind.Challenge, challenge.Kind);
        Assert.True(challenge.Challenge.IsEmpty);
        AssertSuccess(await StepAsync(plain, "\0alice\0correct horse"), "alice");
    }

    [Fact]
    public async Task Round_trip_with_the_client_mechanism()
    {
        AssertSuccess(await RunAsync(Plain(), new PlainClientMechanism(new SaslClientCredentials("alice", "correct horse"))), "alice");
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_fail_the_same_way()
    {
        var wrong = (await StepAsync(Plain(), "\0alice\0wrong")).Failure!;
        var unknown = (await StepAsync(Plain(), "\0alicf\0wrong")).Failure!;
        var disabled = (await StepAsync(Plain(), "\0off\0pw")).Failure!;
        Assert.Equal(SaslFailureReason.BadCredentials, wrong.Reason);
        Assert.Equal(wrong.Reason, unknown.Reason);
        Assert.Equal(wrong.Reason, disabled.Reason);
        Assert.Equal(wrong.Detail.Replace("alice", "X", StringComparison.Ordinal), unknown.Detail.Replace("alicf", "X", StringComparison.Ordinal));
        Assert.DoesNotContain("wrong", wrong.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tim\0tanstaaftanstaaf")]
    [InlineData("timtanstaaftanstaaf")]
    [InlineData("\0tim\0tanstaaf\0taaf")]
    [InlineData("\0\0tanstaaftanstaaf")]
    [InlineData("\0tim\0")]
    [InlineData("")]
    public async Task Malformed_messages_are_refused(string message)
    {
        AssertFailure(await StepAsync(Plain(), message), SaslFailureReason.Malformed);
    }

    [Fact]
    public async Task Invalid_utf8_and_oversized_messages_are_refused()
    {
        AssertFailure(await StepAsync(Plain(), [0, (byte)'t', 0, 0xC3, 0x28]), SaslFailureReason.Malformed);
        AssertFailure(await StepAsync(Plain(), "\0tim\0" + new string('x', 5000)), SaslFailureReason.Malformed);
    }

    [Fact]
    public async Task A_second_response_after_the_end_is_refused()
    {
        var plain = Plain();
        await StepAsync(plain, "\0tim\0tanstaaftanstaaf");
        AssertFailure(await StepAsync(plain, "\0tim\0tanstaaftanstaaf"), SaslFailureReason.Malformed);
    }

    [Fact]
    public async Task An_unreadable_store_is_a_temporary_failure_without_the_password()
    {
        _users.Broken = true;
        var step = await StepAsync(Plain(), "\0tim\0tanstaaftanstaaf");
        AssertFailure(step, SaslFailureReason.TemporaryFailure);
        Assert.DoesNotContain("tanstaaf", step.Failure!.Detail, StringComparison.Ordinal);
    }
}
