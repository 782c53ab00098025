using System.Net;
using Postern.Filters.Authentication.Dns;

namespace Postern.Filters.Authentication.Spf;

/// <summary>
/// SPF (RFC 7208): check_host() for the client address against the MAIL FROM domain, or the
/// HELO name when the sender is null (section 2.3). Lookups go through <see cref="IAuthenticationDns"/>;
/// the check as a whole has a deadline and the section 4.6.4 limits, so a hostile record costs at
/// most 10 DNS terms of 10 names each.
/// </summary>
public sealed class SpfChecker(IAuthenticationDns dns, TimeProvider clock, TimeSpan deadline)
{
    /// <param name="client">The SMTP client's address.</param>
    /// <param name="mailFrom">The envelope sender, or null for the null sender.</param>
    /// <param name="helo">The HELO/EHLO name, or null when there was none.</param>
    /// <param name="cancellationToken">The session's; the check's own deadline runs inside it.</param>
    public async ValueTask<SpfOutcome> CheckAsync(IPAddress client, string? mailFrom, string? helo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var (kind, identity, sender) = string.IsNullOrEmpty(mailFrom)
            ? ("helo", helo ?? "", "postmaster@" + (helo ?? ""))
            : ("mailfrom", mailFrom, mailFrom.StartsWith('@') ? "postmaster" + mailFrom : mailFrom);
        var domain = SpfDomainName.Absolute(sender[(sender.LastIndexOf('@') + 1)..]);
        if (!SpfDomainName.IsQueryable(domain))
        {
            return new SpfOutcome(SpfResult.None, kind, identity, domain, "no domain to check");
        }
        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        using var limit = new DnsDeadline(deadline, clock, cancellationToken);
        try
        {
            var evaluation = new SpfEvaluation(dns, new SpfMacroValues(sender, domain, address, helo ?? "unknown"), new SpfLimits());
            var (result, reason) = await evaluation.CheckHostAsync(domain, limit.Token);
            return new SpfOutcome(result, kind, identity, domain, reason);
        }
        catch (OperationCanceledException e) when (limit.Expired(e))
        {
            return new SpfOutcome(SpfResult.TempError, kind, identity, domain, "DNS did not answer in time");
        }
    }
}
