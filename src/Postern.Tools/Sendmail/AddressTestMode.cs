using System.Net;
using Postern.Config;
using Postern.Core.Addressing;
using Postern.Core.Policy;
using Postern.Delivery.Local;
using Postern.Delivery.Routing;
using Postern.Policy;
using Postern.Policy.Access;
using Postern.Tools.Access;

namespace Postern.Tools.Sendmail;

/// <summary>
/// <c>sendmail -bt</c>: an address test loop. Not sendmail's ruleset language (Postern has no
/// rulesets): each line is an address, answered with its route (as <c>-bv</c>) and the relay
/// decision trace of the real policy (as <c>postern access check</c>) for the current client, plus
/// whether a local submitter may send to it. <c>/client</c>, <c>/from</c>, <c>/auth</c> and
/// <c>/listener</c> change the simulated client; <c>/quit</c> or end of input ends.
/// </summary>
public sealed class AddressTestMode(PosternConfiguration configuration, LocalRecipientDirectory directory, AccessMap accessMap, TextWriter output)
{
    private IPAddress _client = IPAddress.Parse("192.0.2.1");
    private Mailbox? _sender;
    private string? _user;
    private Server.Options.ListenerOptions _listener = configuration.Server.Listeners[0];

    public int Run(TextReader input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var policy = new RelayPolicy(() => directory, configuration.RelayPolicy, () => accessMap);
        var routes = new AddressRoutes(directory, new RouteTable(configuration.Relay.Routes, configuration.Relay.SmartHost));
        var domain = LocalSubmission.DefaultDomain(configuration, directory);
        output.WriteLine("ADDRESS TEST MODE (Postern: routes and relay decisions, no rulesets)");
        output.WriteLine("Enter <address>, or /client <ip>, /from <address>, /auth <user>|-, /listener <name>, /quit");
        while (true)
        {
            output.Write("> ");
            output.Flush();
            var line = input.ReadLine();
            if (line is null)
            {
                output.WriteLine();
                return ExitCodes.Ok;
            }
            line = StripRuleset(line.Trim());
            if (line.Length == 0)
            {
                continue;
            }
            if (line[0] == '/')
            {
                if (line is "/quit" or "/q")
                {
                    return ExitCodes.Ok;
                }
                output.WriteLine(Command(line, domain));
                continue;
            }
            var addresses = new List<Mailbox>();
            if (!SubmissionAddresses.TryParseList(line, domain, addresses, out var error))
            {
                output.WriteLine("bad address syntax: " + error);
                continue;
            }
            foreach (var address in addresses)
            {
                Test(address, policy, routes);
            }
        }
    }

    private void Test(Mailbox address, RelayPolicy policy, AddressRoutes routes)
    {
        var lines = new List<string>();
        routes.Describe(address, lines);
        foreach (var routeLine in lines)
        {
            output.WriteLine("route: " + routeLine);
        }
        var local = LocalRecipientRule.Check(address, directory);
        output.WriteLine("local submission (sendmail): " + (local is null ? "accepted" : "refused " + local));
        var session = new SessionFacts(new IPEndPoint(_client, 0), _listener.EndPoint, _listener.Name, _listener.Role)
        {
            HeloName = "[" + _client + "]",
            AuthenticatedUser = _user,
        };
        output.Write($"SMTP from [{_client}] on listener {_listener.Name}{(_user is null ? "" : ", auth " + _user)}:");
        var report = new AccessCheckReport(output);
        report.Stage("rcpt to:<" + address + "> (mail from:" + ReversePath.Format(_sender) + ")", policy.EvaluateRecipient(session, _sender, address));
    }

    private string Command(string line, string domain)
    {
        var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
        var argument = parts.Length > 1 ? parts[1] : "";
        switch (parts[0])
        {
            case "/client":
                if (!IPAddress.TryParse(argument, out var client))
                {
                    return "/client needs an IP address";
                }
                _client = client;
                return $"client [{client}]";
            case "/from":
                if (!SubmissionAddresses.TryParse(argument, domain, PathKind.Reverse, out var sender, out var error))
                {
                    return "bad sender: " + error;
                }
                _sender = sender;
                return "mail from:" + ReversePath.Format(sender);
            case "/auth":
                _user = argument is "" or "-" ? null : argument;
                return "auth " + (_user ?? "none");
            case "/listener":
                var listener = configuration.Server.Listeners.FirstOrDefault(l => string.Equals(l.Name, argument, StringComparison.OrdinalIgnoreCase));
                if (listener is null)
                {
                    return $"no listener '{argument}' (configured: {string.Join(", ", configuration.Server.Listeners.Select(l => l.Name))})";
                }
                _listener = listener;
                return "listener " + listener.Name;
            default:
                return "unknown command " + parts[0] + " (/client, /from, /auth, /listener, /quit)";
        }
    }

    // "3,0 user@host": sendmail ruleset numbers before the address are skipped; the address is tested.
    private static string StripRuleset(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && line[..space].All(c => char.IsAsciiDigit(c) || c == ',') ? line[(space + 1)..].Trim() : line;
    }
}
