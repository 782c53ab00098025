using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Policy;
using Postern.Core.Tls;
using Postern.Server.Auth;
using Postern.Server.Options;
using Postern.Tests.Pki.Tls;
using Postern.Tests.Server;
using Postern.Tests.Server.Auth;

namespace Postern.Tests.Dialogs;

/// <summary>
/// Turns a script's setup directives into the <see cref="DialogHarness"/> it runs against. Without
/// directives that is the harness's default: host mx.test, an MTA listener, size 10000, 3 recipients,
/// the real relay policy over fake local users (user, alice, postmaster at localhost and mx.test).
/// </summary>
internal sealed class DialogSetup
{
    private SmtpServerOptions _options = DialogHarness.DefaultOptions();
    private ListenerOptions _listener = DialogHarness.DefaultOptions().Listeners[0];
    private AuthOptions? _auth;
    private ScriptedPolicy? _policy;

    public FakeMessageQueue Queue { get; } = new();

    public FakeQueueControl? QueueControl { get; private set; }

    public static DialogSession Start(DialogScript script)
    {
        var setup = new DialogSetup();
        foreach (var directive in script.Setup)
        {
            try
            {
                setup.Apply(directive);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or KeyNotFoundException)
            {
                throw new FormatException(script.Name + " " + directive + ": " + e.Message, e);
            }
        }
        return setup.Build();
    }

    private void Apply(DialogStep directive)
    {
        var argument = directive.Argument;
        switch (directive.Keyword)
        {
            case "max-message-size":
                _options = _options with { MaxMessageSize = long.Parse(argument, CultureInfo.InvariantCulture) };
                break;
            case "max-recipients":
                _options = _options with { MaxRecipients = int.Parse(argument, CultureInfo.InvariantCulture) };
                break;
            case "listener":
                // The listener dialog tests used for these roles, named and numbered as they were.
                _listener = argument switch
                {
                    "msa" => new ListenerOptions("l", _listener.EndPoint, ListenerRole.Msa),
                    "mta" => new ListenerOptions("l", _listener.EndPoint, ListenerRole.Mta),
                    _ => throw new FormatException("listener is msa or mta"),
                };
                break;
            case "etrn":
                _listener = _listener with { Etrn = OnOff(argument) };
                break;
            case "tls":
                _listener = new ListenerOptions("tls", _listener.EndPoint, _listener.Role) { Tls = Enum.Parse<ListenerTlsMode>(argument, ignoreCase: true) };
                break;
            case "client-certificates":
                _listener = _listener with { ClientCertificates = Enum.Parse<ClientCertificateMode>(argument, ignoreCase: true) };
                break;
            case "require-tls":
                _listener = _listener with { RequireTls = true };
                break;
            case "auth":
                _auth ??= new AuthOptions();
                _listener = new ListenerOptions("msa", new IPEndPoint(IPAddress.Loopback, 587), ListenerRole.Msa)
                {
                    Tls = _listener.Tls,
                    ClientCertificates = _listener.ClientCertificates,
                    Auth = Enum.Parse<ListenerAuthMode>(argument, ignoreCase: true),
                };
                break;
            case "auth-mechanisms":
                _auth = (_auth ?? new AuthOptions()) with { Mechanisms = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries) };
                break;
            case "auth-trusted":
                _auth = (_auth ?? new AuthOptions()) with { TrustedMechanisms = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries) };
                break;
            case "auth-plaintext-without-tls":
                _auth = (_auth ?? new AuthOptions()) with { PlaintextRequiresTls = false };
                break;
            case "auth-param-from-client":
                _auth = (_auth ?? new AuthOptions()) with { AuthParamOnlyWhenAuthenticated = false };
                break;
            case "queue-control":
                QueueControl = new FakeQueueControl(int.Parse(argument, CultureInfo.InvariantCulture));
                break;
            case "queue":
                ApplyQueue(argument);
                break;
            case "policy":
                _policy = ScriptedPolicies.With(_policy ?? new ScriptedPolicy(), argument);
                break;
            default:
                throw new FormatException("unknown setup directive");
        }
    }

    private void ApplyQueue(string argument)
    {
        var words = argument.Split(' ');
        switch (words[0])
        {
            case "fail-on-begin":
                Queue.FailOnBegin = true;
                break;
            case "fail-on-commit":
                Queue.FailOnCommit = true;
                break;
            case "fail-after-bytes":
                Queue.FailAfterBytes = long.Parse(words[1], CultureInfo.InvariantCulture);
                break;
            default:
                throw new FormatException("queue is fail-on-begin, fail-on-commit or fail-after-bytes N");
        }
    }

    private static bool OnOff(string value) => value switch
    {
        "on" => true,
        "off" => false,
        _ => throw new FormatException("expected on or off"),
    };

    private DialogSession Build()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 15, 22, 19, TimeSpan.Zero));
        var options = _options with { Listeners = [_listener] };
        if (_auth is not null)
        {
            // As the AUTH dialog tests had it: failures answered at once unless a test says otherwise.
            options = options with { Auth = _auth with { FailureDelay = TimeSpan.Zero } };
        }
        var users = new FakeUserDirectory();
        var tls = _listener.Tls == ListenerTlsMode.None ? null : new TestTlsContext();
        var logger = new CollectingLogger();
        var auth = _auth is null ? null : new AuthServices(FakeMechanismFactory.Standard(), users, new AuthFailureLimiter(options.Auth, clock));
        var harness = new DialogHarness(
            (IPolicyEngine?)_policy,
            logger,
            options,
            Queue,
            clock,
            tls,
            QueueControl,
            auth is null ? null : s => s with { Auth = auth });
        return new DialogSession(harness, logger, tls, QueueControl, users);
    }
}
