using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Policy;
using Postern.Core.Stages;
using Postern.Core.Tls;
using Postern.Filters.Authentication;
using Postern.Filters.Dkim;
using Postern.Policy;
using Postern.Server.Auth;
using Postern.Server.Options;
using Postern.Server.Session;
using Postern.Tests.Filters.Authentication;
using Postern.Tests.Filters.Dkim;
using Postern.Tests.Pki.Tls;
using Postern.Tests.Server.Auth;
using Postern.Tests.Server;

namespace Postern.Tests.Dialogs;

/// <summary>
/// Turns a script's setup directives into the <see cref="DialogHarness"/> it runs against. Without
/// directives that is the harness's default: host mx.test, an MTA listener, size 10000, 3 recipients,
/// the real relay policy over fake local users (user, alice, postmaster at localhost and mx.test).
/// </summary>
internal sealed class DialogSetup
{
    private SmtpServerOptions _options = DialogHarness.DefaultOptions();
    private ListenerRole? _role;
    private bool? _etrn;
    /// <summary>Null without a tls directive: then the session has no TLS context at all.</summary>
    private ListenerTlsMode? _tls;
    private ClientCertificateMode _clientCertificates = ClientCertificateMode.None;
    private bool _requireTls;
    private ListenerAuthMode? _authMode;
    private AuthOptions? _auth;
    private ScriptedPolicy? _policy;
    private int? _greetPause;
    private RelayPolicyOptions _relayPolicy = new();
    private readonly List<DkimSigner> _dkim = [];
    private AuthenticationResultsMode? _authentication;
    private readonly InMemoryDns _dns = new();

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
            case "max-errors":
                _options = _options with { MaxErrors = int.Parse(argument, CultureInfo.InvariantCulture) };
                break;
            case "recipient-overshoot":
                _options = _options with { RecipientOvershootLimit = int.Parse(argument, CultureInfo.InvariantCulture) };
                break;
            case "bare-newline":
                _options = _options with { BareNewline = Enum.Parse<BareNewlineMode>(argument, ignoreCase: true) };
                break;
            case "bare-newline-exclusions":
                _options = _options with { BareNewlineExclusions = [.. argument.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => IPNetwork.Parse(n))] };
                break;
            case "listener":
                _role = Enum.Parse<ListenerRole>(argument, ignoreCase: true);
                break;
            case "etrn":
                _etrn = OnOff(argument);
                break;
            case "tls":
                _tls = Enum.Parse<ListenerTlsMode>(argument, ignoreCase: true);
                break;
            case "client-certificates":
                _clientCertificates = Enum.Parse<ClientCertificateMode>(argument, ignoreCase: true);
                break;
            case "require-tls":
                _requireTls = true;
                break;
            case "auth":
                _auth ??= new AuthOptions();
                _authMode = Enum.Parse<ListenerAuthMode>(argument, ignoreCase: true);
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
            case "greet-pause":
                _greetPause = int.Parse(argument, CultureInfo.InvariantCulture);
                break;
            case "policy":
                _policy = ScriptedPolicies.With(_policy ?? new ScriptedPolicy(), argument);
                break;
            case "relay-networks":
                _relayPolicy = _relayPolicy with { RelayNetworks = [.. argument.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => IPNetwork.Parse(n))] };
                break;
            case "dkim":
                _dkim.Add(DkimSigner(argument));
                break;
            case "authentication-results":
                _authentication = Enum.Parse<AuthenticationResultsMode>(argument, ignoreCase: true);
                break;
            case "dns":
                ApplyDns(argument);
                break;
            default:
                throw new FormatException("unknown setup directive");
        }
    }

    /// <summary><c>dkim DOMAIN SELECTOR rsa|ed25519 [subdomains] [simple]</c>: a [[dkim]] entry with a test key.</summary>
    private static DkimSigner DkimSigner(string argument)
    {
        var words = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 3 || !DkimAlgorithmNames.TryParse(words[2], out var algorithm))
        {
            throw new FormatException("dkim is DOMAIN SELECTOR rsa|ed25519 [subdomains] [simple]");
        }
        var simple = words.Contains("simple") ? DkimCanonicalization.Simple : DkimCanonicalization.Relaxed;
        var entry = new DkimEntry(words[0], words[1], "/test/" + words[1] + ".key")
        {
            Subdomains = words.Contains("subdomains"),
            HeaderCanonicalization = simple,
            BodyCanonicalization = simple,
        };
        return new DkimSigner(entry, DkimTestKeys.Of(algorithm));
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

    // NAME TYPE VALUE (the value may hold spaces), or NAME FAIL for a name whose queries fail.
    private void ApplyDns(string argument)
    {
        var words = argument.Split(' ', 3);
        if (words.Length == 2 && words[1] == "FAIL")
        {
            _dns.Fail(words[0]);
            return;
        }
        if (words.Length != 3)
        {
            throw new FormatException("dns is NAME TYPE VALUE or NAME FAIL");
        }
        _dns.Add(words[0], words[1], words[2]);
    }

    /// <summary>
    /// The listener the C# dialog tests used for the same setup, named and numbered as they were:
    /// "msa" on 587 with AUTH, "tls" with TLS, "l" with a chosen role, else the default "mta".
    /// </summary>
    private ListenerOptions Listener()
    {
        var listener = (_auth, _tls, _role) switch
        {
            ({ }, _, _) => new ListenerOptions("msa", new IPEndPoint(IPAddress.Loopback, 587), ListenerRole.Msa) { Auth = _authMode ?? ListenerAuthMode.Offer },
            (_, { }, _) => new ListenerOptions("tls", new IPEndPoint(IPAddress.Loopback, 25), ListenerRole.Mta),
            (_, _, { } role) => new ListenerOptions("l", new IPEndPoint(IPAddress.Loopback, 25), role),
            _ => DialogHarness.DefaultOptions().Listeners[0],
        };
        listener = listener with { Tls = _tls ?? ListenerTlsMode.None, ClientCertificates = _clientCertificates, RequireTls = _requireTls };
        return _etrn is { } etrn ? listener with { Etrn = etrn } : listener;
    }

    private SessionServices Configure(SessionServices services, AuthServices? auth, IStageHandler? signer, TimeProvider clock)
    {
        services = auth is null ? services : services with { Auth = auth };
        var handlers = new List<IStageHandler>();
        if (_authentication is { } mode)
        {
            handlers.Add(AuthenticationTestHandlers.Create(mode, _dns, clock, services.Logger));
        }
        if (signer is not null)
        {
            handlers.Add(signer);
        }
        services = handlers.Count == 0 ? services : services with { Handlers = handlers };
        return _greetPause is { } pause ? services with { ClientLimits = new FixedClientLimits(GreetPause: new ClientLimit(pause, "GreetPause: " + pause + " at access:1")) } : services;
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
        var listener = Listener();
        var options = _options with { Listeners = [listener] };
        if (_auth is not null)
        {
            // As the AUTH dialog tests had it: failures answered at once unless a test says otherwise.
            options = options with { Auth = _auth with { FailureDelay = TimeSpan.Zero } };
        }
        var users = new FakeUserDirectory();
        // With a tls directive the session has a certificate even for "tls none": that listener must still not offer STARTTLS.
        var tls = _tls is null ? null : new TestTlsContext();
        var logger = new CollectingLogger();
        var auth = _auth is null ? null : new AuthServices(FakeMechanismFactory.Standard(), users, new AuthFailureLimiter(options.Auth, clock));
        // The real relay policy, as the harness would make it, with the script's relay networks; it also tells the signer who may relay.
        var policy = _policy is not null ? (IPolicyEngine)_policy : new RelayPolicy(() => new FakeLocalRecipients(), _relayPolicy);
        DkimSigningHandler? signer = null;
        if (_dkim.Count > 0)
        {
            var table = new DkimSigningTable([.. _dkim], []);
            var trust = policy as IRelayTrust ?? throw new FormatException("dkim needs the relay policy, not a scripted one");
            signer = new DkimSigningHandler(() => table, trust, clock, logger);
        }
        var harness = new DialogHarness(
            policy,
            logger,
            options,
            Queue,
            clock,
            tls,
            QueueControl,
            s => Configure(s, auth, signer, clock));
        return new DialogSession(harness, logger, tls, QueueControl, users)
        {
            DkimRecords = DkimTestMessages.RecordsOf([.. _dkim]),
        };
    }
}
