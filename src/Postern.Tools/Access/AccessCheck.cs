using System.Net;
using Postern.Config;
using Postern.Config.Loading;
using Postern.Core.Addressing;
using Postern.Core.Maps;
using Postern.Core.Policy;
using Postern.Core.Tls;
using Postern.Policy;
using Postern.Policy.Access;

namespace Postern.Tools.Access;

/// <summary>
/// Runs <c>postern access check</c>: builds the policy exactly as <c>serve</c> does (configuration,
/// local users and aliases, access map), plays one session through it (connect, HELO, MAIL, each
/// RCPT, DATA) and prints every restriction evaluated. A refused connect, HELO or MAIL ends the
/// session there, as it would on the wire.
/// </summary>
public static class AccessCheck
{
    /// <summary>The exit code when something was refused (0 when all was accepted; 64, 65, 78 as sysexits).</summary>
    public const int Refused = 1;

    /// <param name="request">What to check.</param>
    /// <param name="environment">The process environment (for the configuration's variables).</param>
    /// <param name="output">The report.</param>
    /// <param name="error">Problems, one line each.</param>
    /// <param name="clock">For certificate validity.</param>
    /// <param name="tables">Opens a <c>pgsql:</c> map (the database's table factory); null when there is no database.</param>
    public static int Run(AccessCheckRequest request, Func<string, string?> environment, TextWriter output, TextWriter error, TimeProvider? clock = null, Func<MapReference, ILookupTable>? tables = null)
    {
        if (!IPAddress.TryParse(request.Client, out var client))
        {
            return Usage(error, $"--client must be an IP address, got '{request.Client}'");
        }
        if (!TryParseSender(request.From, out var sender))
        {
            return Usage(error, $"--from: not an address: '{request.From}'");
        }
        var recipients = new List<Mailbox>();
        foreach (var text in request.Recipients)
        {
            if (!TryParseRecipient(text, out var recipient))
            {
                return Usage(error, $"--rcpt: not an address: '{text}'");
            }
            recipients.Add(recipient);
        }
        if (recipients.Count == 0)
        {
            return Usage(error, "at least one --rcpt is needed");
        }

        var loaded = ConfigurationLoader.Load(request.ConfigPath, request.DataDirectory, environment);
        if (!loaded.Succeeded)
        {
            return ConfigurationErrors.Report(loaded, error, "nothing checked");
        }
        var configuration = loaded.Configuration;
        var listener = request.Listener is null
            ? configuration.Server.Listeners[0]
            : configuration.Server.Listeners.FirstOrDefault(l => string.Equals(l.Name, request.Listener, StringComparison.OrdinalIgnoreCase));
        if (listener is null)
        {
            return Usage(error, $"--listener: no listener named '{request.Listener}' (configured: {string.Join(", ", configuration.Server.Listeners.Select(l => l.Name))})");
        }
        var directory = LocalDirectoryLoader.TryLoad(configuration.Local, error);
        var map = directory is null ? null : AccessMapLoader.TryLoad(configuration.RelayPolicy.AccessMapFile, error);
        if (directory is null || map is null)
        {
            return ExitCodes.Config;
        }
        var (tls, tlsError, tlsExit) = AccessCheckTls.Build(request, configuration.Tls, clock ?? TimeProvider.System);
        if (tlsError is not null)
        {
            error.WriteLine("postern: access check: " + tlsError);
            return tlsExit;
        }

        // From the command line there is no factory: the configuration's [database] answers, uncached
        // (no LISTEN for one check), and the pool is closed when the check is done.
        var database = tables is null && configuration.Database is { } options
            ? new Postern.Database.PostgresMaps(options, clock ?? TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
            : null;
        try
        {
            return Play(request, configuration, listener, directory, map, tls, client, sender, recipients, database is null ? tables : database.Table, output, error);
        }
        finally
        {
            database?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static int Play(
        AccessCheckRequest request,
        PosternConfiguration configuration,
        Postern.Server.Options.ListenerOptions listener,
        Postern.Delivery.Local.LocalRecipientDirectory directory,
        AccessMap map,
        TlsFacts? tls,
        IPAddress client,
        Mailbox? sender,
        List<Mailbox> recipients,
        Func<MapReference, ILookupTable>? tables,
        TextWriter output,
        TextWriter error)
    {
        if (AccessCheckMaps.Build(configuration, map, directory, tables, error) is not { } maps)
        {
            return ExitCodes.Config;
        }
        var policy = new RelayPolicy(() => directory, configuration.RelayPolicy, maps);
        var report = new AccessCheckReport(output);
        report.Header(client, listener.Name, listener.EndPoint.ToString(), configuration.RelayPolicy.AccessMap?.ToString(), tls, request.AuthenticatedUser);
        try
        {
            output.WriteLine(ConnectionLimitsLine.Format(new AccessClientLimits(maps.Access!).Lookup(client), configuration.Server, listener));
        }
        catch (LookupTableUnavailableException e)
        {
            output.WriteLine("connection limits: unknown, the connection would be refused with 421 4.3.0 (" + e.Message + ")");
        }
        if (MilterLine.Format(configuration.Milters, listener) is { } milters)
        {
            output.WriteLine(milters);
        }
        var implicitTls = listener.Tls == ListenerTlsMode.Implicit;
        var session = new SessionFacts(new IPEndPoint(client, 0), listener.EndPoint, listener.Name, listener.Role) { Tls = implicitTls ? tls : null };
        var helo = request.Helo ?? "[" + client + "]";
        if (!report.Stage("connect", policy.EvaluateConnect(session)))
        {
            return report.Finish(Refused);
        }
        // STARTTLS comes after EHLO, and AUTH after that: the HELO stage sees neither on a STARTTLS listener.
        session = session with { HeloName = helo };
        if (!report.Stage("helo " + helo, policy.EvaluateHelo(session, helo)))
        {
            return report.Finish(Refused);
        }
        session = session with { Tls = tls, AuthenticatedUser = request.AuthenticatedUser };
        if (!report.Stage("mail from:" + ReversePath.Format(sender), policy.EvaluateSender(session, sender)))
        {
            return report.Finish(Refused);
        }
        var accepted = 0;
        foreach (var recipient in recipients)
        {
            accepted += report.Stage("rcpt to:<" + recipient + ">", policy.EvaluateRecipient(session, sender, recipient)) ? 1 : 0;
        }
        if (accepted == 0)
        {
            return report.Finish(Refused);
        }
        var data = report.Stage("data", policy.EvaluateData(session, sender));
        return report.Finish(data && accepted == recipients.Count ? ExitCodes.Ok : Refused);
    }

    private static bool TryParseSender(string text, out Mailbox? sender)
    {
        sender = null;
        var bare = Unbracket(text);
        return bare.Length == 0 || TryParse(bare, PathKind.Reverse, out sender);
    }

    private static bool TryParseRecipient(string text, out Mailbox recipient)
    {
        var ok = TryParse(Unbracket(text), PathKind.Forward, out var mailbox);
        recipient = mailbox!;
        return ok;
    }

    private static bool TryParse(string text, PathKind kind, out Mailbox? mailbox) =>
        MailboxParser.TryParseMailbox(text, kind, out mailbox, out _) && mailbox is not null;

    private static string Unbracket(string text) =>
        text.Length >= 2 && text[0] == '<' && text[^1] == '>' ? text[1..^1] : text;

    private static int Usage(TextWriter error, string message)
    {
        error.WriteLine("postern: access check: " + message);
        return ExitCodes.Usage;
    }
}
