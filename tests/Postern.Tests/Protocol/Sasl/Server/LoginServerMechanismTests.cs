using Postern.Protocol.Sasl.Client;
using Postern.Protocol.Sasl.Server;
using static Postern.Tests.Protocol.Sasl.Server.SaslTestSupport;

namespace Postern.Tests.Protocol.Sasl.Server;

public sealed class LoginServerMechanismTests
{
    private readonly FakeUserDirectory _users = new(User("alice", "correct horse"));

    [Fact]
    public async Task Prompts_for_user_name_then_password()
    {
        var login = Create("LOGIN", Context(_users));
        var first = await StepAsync(login, (string?)null);
        Assert.Equal("Username:", Text(first));
        var second = await StepAsync(login, "alice");
        Assert.Equal("Password:", Text(second));
        AssertSuccess(await StepAsync(login, "correct horse"), "alice");
    }

    [Fact]
    public async Task An_initial_response_is_the_user_name()
    {
        var login = Create("LOGIN", Context(_users));
        Assert.Equal("Password:", Text(await StepAsync(login, "alice")));
        AssertSuccess(await StepAsync(login, "correct horse"), "alice");
    }

    [Fact]
    public async Task Round_trip_with_the_client_mechanism()
    {
        AssertSuccess(await RunAsync(Create("LOGIN", Context(_users)), new LoginClientMechanism(new SaslClientCredentials("alice", "correct horse"))), "alice");
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("nobody", "correct horse")]
    public async Task Wrong_password_and_unknown_user_are_bad_credentials(string user, string password)
    {
        var login = Create("LOGIN", Context(_users));
        await StepAsync(login, user);
        var step = await StepAsync(login, password);
        AssertFailure(step, SaslFailureReason.BadCredentials);
        Assert.Equal(user, step.Failure!.AttemptedUser);
    }

    [Fact]
    public async Task Empty_password_or_nul_in_the_user_name_is_malformed()
    {
        var login = Create("LOGIN", Context(_users));
        await StepAsync(login, "alice");
        AssertFailure(await StepAsync(login, ""), SaslFailureReason.Malformed);
        AssertFailure(await StepAsync(Create("LOGIN", Context(_users)), "al\0ice"), SaslFailureReason.Malformed);
    }
}
