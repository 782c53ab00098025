using Postern.Core.Addressing;
using Postern.Delivery.Local;
using Postern.Delivery.Routing;

namespace Postern.Tools.Sendmail;

/// <summary>
/// Where an address would go, in sendmail's <c>-bv</c> words: the local directory (users, aliases,
/// :include:) for local domains and the route table (routes, smart host, else MX) for the rest.
/// </summary>
internal sealed class AddressRoutes(LocalRecipientDirectory directory, RouteTable routes)
{
    /// <summary>One line per final destination, each <c>address... result</c>; false when any is undeliverable.</summary>
    public bool Describe(Mailbox address, List<string> lines)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(lines);
        var prefix = address + "... ";
        if (LocalRecipientRule.Check(address, directory) is { IsPermanentFailure: true } refusal && refusal.Status?.ToString() != "5.1.1")
        {
            lines.Add(prefix + refusal.Lines[0].Split(": ", 2)[^1]);
            return false;
        }
        if (!directory.IsLocalDomain(address.Domain))
        {
            lines.Add(prefix + Remote(address.ToString(), address.Domain));
            return true;
        }
        var expansion = directory.Expand(address);
        switch (expansion.Status)
        {
            case ExpansionStatus.Unknown:
                lines.Add(prefix + "User unknown");
                return false;
            case ExpansionStatus.TemporaryFailure:
                lines.Add(prefix + "Temporary failure: " + expansion.Problem);
                return false;
            case ExpansionStatus.Failed:
                lines.Add(prefix + (expansion.Problem ?? "undeliverable"));
                return false;
        }
        var ok = true;
        foreach (var target in expansion.Targets)
        {
            var described = expansion.Aliased ? $"{address}... aliased to {target}: " : prefix;
            switch (target.Kind)
            {
                case DeliveryTargetKind.Mailbox when !directory.IsUser(target.Value):
                    lines.Add(described + "User unknown");
                    ok = false;
                    break;
                case DeliveryTargetKind.Mailbox:
                    lines.Add(described + "deliverable: mailer local, user " + target.Value);
                    break;
                case DeliveryTargetKind.Forward:
                    var at = target.Value.LastIndexOf('@');
                    lines.Add(described + Remote(target.Value, target.Value[(at + 1)..]));
                    break;
                case DeliveryTargetKind.Pipe:
                    lines.Add(described + "deliverable: mailer prog, user " + target);
                    break;
                default:
                    lines.Add(described + "deliverable: mailer *file*, user " + target.Value);
                    break;
            }
        }
        return ok;
    }

    private string Remote(string address, string domain)
    {
        var match = routes.Lookup(domain);
        if (match.Via is not { } hop)
        {
            return $"deliverable: mailer esmtp, host {domain.ToLowerInvariant()} (MX), user {address}";
        }
        var host = hop.SkipMx ? "[" + hop.Host + "]" : hop.Host;
        var port = hop.Port == NextHop.DefaultPort ? "" : ":" + hop.Port;
        return $"deliverable: mailer esmtp, host {host}{port}, user {address} ({match.Source})";
    }
}
