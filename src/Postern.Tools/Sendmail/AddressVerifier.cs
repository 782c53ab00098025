using Postern.Config;
using Postern.Core.Addressing;
using Postern.Delivery.Local;
using Postern.Delivery.Routing;

namespace Postern.Tools.Sendmail;

/// <summary><c>sendmail -bv addr...</c>: verifies each address and prints where it would go; nothing is sent.</summary>
public static class AddressVerifier
{
    public static int Run(PosternConfiguration configuration, LocalRecipientDirectory directory, IReadOnlyList<string> arguments, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var routes = new AddressRoutes(directory, new RouteTable(configuration.Relay.Routes, configuration.Relay.SmartHost));
        var domain = LocalSubmission.DefaultDomain(configuration, directory);
        var allGood = true;
        foreach (var argument in arguments)
        {
            var addresses = new List<Mailbox>();
            if (!SubmissionAddresses.TryParseList(argument, domain, addresses, out var error))
            {
                output.WriteLine($"{argument}... Bad address syntax: {error}");
                allGood = false;
                continue;
            }
            foreach (var address in addresses)
            {
                var lines = new List<string>();
                allGood &= routes.Describe(address, lines);
                foreach (var line in lines)
                {
                    output.WriteLine(line);
                }
            }
        }
        return allGood ? ExitCodes.Ok : ExitCodes.NoUser;
    }
}
