using Postern.Core.Policy;
using Postern.Policy;
using Postern.Policy.Restrictions;

namespace Postern.Tests.Policy.Restrictions;

/// <summary>
/// reject_plaintext_session and reject_unauthenticated_session: the listener's <c>require_tls</c>
/// and <c>auth = "require"</c> as restrictions, asked before a command that needs TLS or AUTH.
/// </summary>
public sealed class SessionRequirementRestrictionTests
{
    private const string MustStartTls = "530 5.7.0 Must issue a STARTTLS command first";
    private const string AuthRequired = "530 5.7.0 Authentication required";
    private const CommandNeeds Both = CommandNeeds.Tls | CommandNeeds.Authentication;

    private static RelayPolicy Policy() => RestrictionFixture.Policy();

    private static SessionFacts Session(bool requiresTls, bool requiresAuth, bool tls, string? login) =>
        RestrictionFixture.Session("203.0.113.9", bits: tls ? 256 : null) with
        {
            ListenerRequiresTls = requiresTls,
            ListenerRequiresAuth = requiresAuth,
            SaslLogin = login,
        };

    private static async Task<string> CheckAsync(SessionFacts session, CommandNeeds needs = Both) =>
        RestrictionFixture.Outcome(await Policy().CheckCommandAsync(session, "MAIL", needs, CancellationToken.None));

    [Theory]
    [InlineData(false, "ACCEPT")]
    [InlineData(true, MustStartTls)]
    public async Task A_listener_that_requires_tls_refuses_a_plaintext_session(bool requiresTls, string expected)
    {
        Assert.Equal(expected, await CheckAsync(Session(requiresTls, requiresAuth: false, tls: false, login: null)));
    }

    [Fact]
    public async Task A_listener_that_requires_tls_takes_an_encrypted_session()
    {
        Assert.Equal("ACCEPT", await CheckAsync(Session(requiresTls: true, requiresAuth: false, tls: true, login: null)));
    }

    [Theory]
    [InlineData(false, "ACCEPT")]
    [InlineData(true, AuthRequired)]
    public async Task A_listener_that_requires_auth_refuses_an_unauthenticated_session(bool requiresAuth, string expected)
    {
        Assert.Equal(expected, await CheckAsync(Session(requiresTls: false, requiresAuth, tls: true, login: null)));
    }

    [Fact]
    public async Task Any_successful_auth_satisfies_the_requirement_trusted_mechanism_or_not()
    {
        // SaslLogin without AuthenticatedUser: an untrusted mechanism, as auth = "require" has always allowed.
        Assert.Equal("ACCEPT", await CheckAsync(Session(requiresTls: false, requiresAuth: true, tls: false, login: "alice")));
    }

    [Fact]
    public async Task Tls_is_asked_for_before_auth()
    {
        Assert.Equal(MustStartTls, await CheckAsync(Session(requiresTls: true, requiresAuth: true, tls: false, login: null)));
        Assert.Equal(AuthRequired, await CheckAsync(Session(requiresTls: true, requiresAuth: true, tls: true, login: null)));
        Assert.Equal("ACCEPT", await CheckAsync(Session(requiresTls: true, requiresAuth: true, tls: true, login: "alice")));
    }

    [Theory]
    [InlineData(CommandNeeds.Authentication, true, false, "ACCEPT")]
    [InlineData(CommandNeeds.Tls, false, true, "ACCEPT")]
    [InlineData(CommandNeeds.None, true, true, "ACCEPT")]
    [InlineData(CommandNeeds.Tls, true, true, MustStartTls)]
    [InlineData(CommandNeeds.Authentication, true, true, AuthRequired)]
    public async Task Only_what_the_command_needs_is_required(CommandNeeds needs, bool requiresTls, bool requiresAuth, string expected)
    {
        Assert.Equal(expected, await CheckAsync(Session(requiresTls, requiresAuth, tls: false, login: null), needs));
    }

    [Fact]
    public async Task A_refusal_names_the_restriction_and_an_acceptance_is_shared()
    {
        var policy = Policy();
        var refused = await policy.CheckCommandAsync(Session(true, false, false, null), "MAIL", Both, CancellationToken.None);
        var first = await policy.CheckCommandAsync(Session(false, false, false, null), "MAIL", Both, CancellationToken.None);
        var second = await policy.CheckCommandAsync(Session(false, false, false, null), "RCPT", Both, CancellationToken.None);

        Assert.StartsWith(RejectPlaintextSession.RestrictionName + ": ", refused.Reason, StringComparison.Ordinal);
        Assert.Same(first, second);
    }

    [Theory]
    [InlineData(RejectPlaintextSession.RestrictionName)]
    [InlineData(RejectUnauthenticatedSession.RestrictionName)]
    public void They_cannot_be_listed_in_the_configuration(string name)
    {
        Assert.All(Enum.GetValues<RestrictionStage>(), stage => Assert.NotEmpty(RestrictionCatalog.Validate(stage, [name])));
    }
}
