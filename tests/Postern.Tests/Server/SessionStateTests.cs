using System.Net;
using Postern.Core.Addressing;
using Postern.Core.Policy;
using Postern.Core.Queueing;
using Postern.Protocol.Commands;
using Postern.Protocol.Sasl.Server;
using Postern.Server.Auth;
using Postern.Server.Session;

namespace Postern.Tests.Server;

/// <summary>The session's state changes only through its transitions, and each does what its name says.</summary>
public sealed class SessionStateTests
{
    private static SessionState NewState() =>
        new(new SessionFacts(new IPEndPoint(IPAddress.Loopback, 40000), new IPEndPoint(IPAddress.Loopback, 25), "mta", ListenerRole.Mta));

    private static MailTransaction Transaction() => new(new MailFromCommand(new Mailbox("a", "example.org"), null, null, false, DsnReturn.Unspecified, null, null));

    [Fact]
    public void A_transaction_runs_from_mail_to_reset_and_back_to_greeted()
    {
        var state = NewState();
        Assert.Equal(SessionPhase.Connected, state.Phase);

        state.Greeted("client.test", extended: true);
        Assert.Equal((SessionPhase.Greeted, true, "client.test"), (state.Phase, state.Extended, state.Facts.HeloName));

        var transaction = Transaction();
        state.MailAccepted(transaction);
        Assert.Equal(SessionPhase.Mail, state.Phase);
        state.RecipientAdded(new EnvelopeRecipient(new Mailbox("user", "localhost")));
        Assert.Equal(SessionPhase.Recipients, state.Phase);
        Assert.Single(transaction.Recipients);

        Assert.Same(transaction, state.TransactionReset());
        Assert.Equal(SessionPhase.Greeted, state.Phase);
        Assert.Null(state.Transaction);
    }

    [Fact]
    public void A_reset_before_any_greeting_stays_connected()
    {
        var state = NewState();

        Assert.Null(state.TransactionReset());
        Assert.Equal(SessionPhase.Connected, state.Phase);
    }

    [Fact]
    public void Only_a_trusted_authentication_makes_the_user_a_policy_fact_but_any_sets_the_login()
    {
        var untrusted = NewState();
        untrusted.Authenticated(new SessionAuthentication(new SaslIdentity("alice", "alice"), "PLAIN", Trusted: false));
        Assert.Equal(("alice", null), (untrusted.Facts.SaslLogin, untrusted.Facts.AuthenticatedUser));

        var trusted = NewState();
        trusted.Authenticated(new SessionAuthentication(new SaslIdentity("alice", "bob"), "SCRAM-SHA-256", Trusted: true));
        Assert.Equal(("bob", "bob", "SCRAM-SHA-256"), (trusted.Facts.SaslLogin, trusted.Facts.AuthenticatedUser, trusted.Facts.AuthMechanism));
        Assert.True(trusted.IsAuthenticated);
    }

    [Fact]
    public void Starting_tls_forgets_the_greeting_and_authentication_but_not_the_session_verdicts()
    {
        var state = NewState();
        state.Greeted("client.test", extended: true);
        state.Authenticated(new SessionAuthentication(new SaslIdentity("alice", "alice"), "PLAIN", Trusted: true));
        state.ExternalIdentityFound("alice", final: true);
        state.SessionDiscarded("check_relay: first");
        state.SessionDiscarded("check_helo: second");
        state.SessionQuarantined("held");

        state.PlaintextForgotten();

        Assert.Equal((SessionPhase.Connected, false, null), (state.Phase, state.Extended, state.Facts.HeloName));
        Assert.False(state.IsAuthenticated);
        Assert.Null(state.Facts.SaslLogin);
        Assert.Null(state.Facts.AuthenticatedUser);
        Assert.False(state.ExternalLookedUp);
        Assert.Equal(("check_relay: first", "held"), (state.SessionDiscard, state.SessionQuarantine));
    }

    [Fact]
    public void What_the_command_gate_let_pass_is_asked_again_once_tls_or_auth_changes()
    {
        var state = NewState();
        Assert.Equal(CommandNeeds.None, state.Has);

        state.GateAccepted(CommandNeeds.Tls | CommandNeeds.Authentication);
        Assert.Equal(CommandNeeds.Tls | CommandNeeds.Authentication, state.GatePassed);
        state.Authenticated(new SessionAuthentication(new SaslIdentity("alice", "alice"), "PLAIN", Trusted: false));
        Assert.Equal((CommandNeeds.None, CommandNeeds.Authentication), (state.GatePassed, state.Has));

        state.GateAccepted(CommandNeeds.Tls);
        state.PlaintextForgotten();
        Assert.Equal((CommandNeeds.None, CommandNeeds.None), (state.GatePassed, state.Has));
    }

    [Fact]
    public void Counters_count()
    {
        var state = NewState();
        state.CommandReceived();
        state.CommandNamed("EHLO");
        state.MessageFinished();
        Assert.Equal(1, state.RefusalSent(counts: true));
        Assert.Equal(2, state.RefusalSent(counts: true));
        state.Close();

        Assert.Equal((1, 2, 1, "EHLO", true), (state.Commands, state.Errors, state.Messages, state.LastCommand, state.Closing));
    }

    [Fact]
    public void Forgiven_refusals_and_server_conditions_do_not_count_and_a_message_forgives_earlier_errors()
    {
        var state = NewState();
        state.CommandNamed("RCPT");
        state.RefusalForgiven();
        Assert.Equal(0, state.RefusalSent(counts: true));
        Assert.Equal(1, state.RefusalSent(counts: true));
        Assert.Equal(1, state.RefusalSent(counts: false));
        state.RefusalForgiven();
        state.CommandNamed("MAIL");
        Assert.Equal(2, state.RefusalSent(counts: true));
        state.MessageFinished();
        Assert.Equal((0, 2), (state.ErrorsSinceMessage, state.Errors));
        Assert.Equal(1, state.RefusalSent(counts: true));
    }
}
