using System.Net;
using System.Net.Sockets;
using Postern.Filters.Authentication.Dns;

namespace Postern.Filters.Authentication.Spf;

/// <summary>
/// One run of check_host() and the includes and redirects it follows (RFC 7208 sections 4 to 6),
/// sharing one set of <see cref="SpfLimits"/>.
/// </summary>
internal sealed class SpfEvaluation(IAuthenticationDns dns, SpfMacroValues values, SpfLimits limits)
{
    private List<string>? _validatedNames;

    // Why an included check ended in an error: the reason the whole check reports.
    private string? _includeError;

    public async ValueTask<(SpfResult Result, string Reason)> CheckHostAsync(string domain, CancellationToken cancellationToken)
    {
        var answer = await dns.TxtAsync(domain, cancellationToken);
        if (answer.Status == DnsQueryStatus.Failed)
        {
            return (SpfResult.TempError, $"TXT lookup for {domain} failed");
        }
        var texts = answer.Records.Where(SpfRecordParser.IsSpfRecord).ToList();
        switch (texts.Count)
        {
            case 0:
                return (SpfResult.None, $"{domain} has no SPF record");
            case > 1:
                return (SpfResult.PermError, $"{domain} has {texts.Count} SPF records");
        }
        var record = SpfRecordParser.TryParse(texts[0], out var error);
        if (record is null)
        {
            return (SpfResult.PermError, $"{domain}: {error}");
        }
        var current = values with { Domain = domain, ValidatedName = await ValidatedNameAsync(record, domain, cancellationToken) };
        foreach (var mechanism in record.Mechanisms)
        {
            if (mechanism.QueriesDns && !limits.TakeDnsTerm())
            {
                return (SpfResult.PermError, "more than 10 DNS lookups");
            }
            switch (await MatchAsync(mechanism, current, cancellationToken))
            {
                case SpfMatch.Match:
                    return (mechanism.Qualifier, $"{domain} matched {mechanism.Kind.ToString().ToLowerInvariant()}");
                case SpfMatch.TempError:
                    return (SpfResult.TempError, _includeError ?? $"DNS lookup for {domain}'s {mechanism.Kind.ToString().ToLowerInvariant()} failed");
                case SpfMatch.PermError:
                    return (SpfResult.PermError, _includeError ?? $"{domain}'s {mechanism.Kind.ToString().ToLowerInvariant()} is in error or over a limit");
            }
        }
        if (record.Redirect is null)
        {
            return (SpfResult.Neutral, $"{domain} matched nothing");
        }
        if (!limits.TakeDnsTerm())
        {
            return (SpfResult.PermError, "more than 10 DNS lookups");
        }
        var target = record.Redirect.ExpandDomain(current);
        if (!SpfDomainName.IsQueryable(target))
        {
            return (SpfResult.PermError, $"{domain} redirects to a malformed name");
        }
        var redirected = await CheckHostAsync(target, cancellationToken);
        return redirected.Result == SpfResult.None
            ? (SpfResult.PermError, $"{domain} redirects to {target}, which has no SPF record")
            : redirected;
    }

    private async ValueTask<SpfMatch> MatchAsync(SpfMechanism mechanism, SpfMacroValues current, CancellationToken cancellationToken)
    {
        var client = current.Client;
        switch (mechanism.Kind)
        {
            case SpfMechanismKind.All:
                return SpfMatch.Match;
            case SpfMechanismKind.Ip4:
            case SpfMechanismKind.Ip6:
                return mechanism.Network is { } network && network.Contains(client)
                    ? SpfMatch.Match
                    : SpfMatch.NoMatch;
        }
        var target = mechanism.DomainSpec?.ExpandDomain(current) ?? current.Domain;
        if (!SpfDomainName.IsQueryable(target))
        {
            // A target no query can be made for (an empty or overlong label) names nothing (sections 4.3 and 4.8).
            return mechanism.Kind == SpfMechanismKind.Include ? SpfMatch.PermError : SpfMatch.NoMatch;
        }
        return mechanism.Kind switch
        {
            SpfMechanismKind.Include => await IncludeAsync(target, cancellationToken),
            SpfMechanismKind.A => await AddressMatchAsync(await dns.AddressesAsync(target, client.AddressFamily, cancellationToken), mechanism),
            SpfMechanismKind.Mx => await MxAsync(target, mechanism, cancellationToken),
            SpfMechanismKind.Ptr => await PtrAsync(target, cancellationToken) ? SpfMatch.Match : SpfMatch.NoMatch,
            _ => await AddressMatchAsync(await dns.AddressesAsync(target, AddressFamily.InterNetwork, cancellationToken), null),
        };
    }

    // include matches on the target's pass; its fail, softfail and neutral do not match; none is an error (section 5.2).
    private async ValueTask<SpfMatch> IncludeAsync(string target, CancellationToken cancellationToken)
    {
        var (result, reason) = await CheckHostAsync(target, cancellationToken);
        switch (result)
        {
            case SpfResult.Pass:
                return SpfMatch.Match;
            case SpfResult.Fail or SpfResult.SoftFail or SpfResult.Neutral:
                return SpfMatch.NoMatch;
            case SpfResult.None:
                _includeError ??= $"included {reason}";
                return SpfMatch.PermError;
            default:
                _includeError ??= reason;
                return result == SpfResult.TempError ? SpfMatch.TempError : SpfMatch.PermError;
        }
    }

    // a and exists: a DNS failure is a temperror, an empty answer a void lookup; exists matches any A record.
    private ValueTask<SpfMatch> AddressMatchAsync(DnsAnswer<IPAddress> answer, SpfMechanism? withCidr)
    {
        if (answer.Status == DnsQueryStatus.Failed)
        {
            return ValueTask.FromResult(SpfMatch.TempError);
        }
        if (answer.IsVoid)
        {
            return ValueTask.FromResult(limits.TakeVoidLookup() ? SpfMatch.NoMatch : SpfMatch.PermError);
        }
        var matched = withCidr is null || answer.Records.Any(a => InNetwork(a, withCidr));
        return ValueTask.FromResult(matched ? SpfMatch.Match : SpfMatch.NoMatch);
    }

    // mx: at most 10 MX names (more is a permerror), each name's addresses of the client's family; no implicit MX (section 5.4).
    private async ValueTask<SpfMatch> MxAsync(string target, SpfMechanism mechanism, CancellationToken cancellationToken)
    {
        var answer = await dns.MxAsync(target, cancellationToken);
        if (answer.Status == DnsQueryStatus.Failed)
        {
            return SpfMatch.TempError;
        }
        if (answer.IsVoid)
        {
            return limits.TakeVoidLookup() ? SpfMatch.NoMatch : SpfMatch.PermError;
        }
        if (answer.Records.Count > SpfLimits.MaxNamesPerTerm)
        {
            return SpfMatch.PermError;
        }
        foreach (var exchange in answer.Records.Where(SpfDomainName.IsQueryable))
        {
            var addresses = await dns.AddressesAsync(exchange, values.Client.AddressFamily, cancellationToken);
            if (addresses.Status == DnsQueryStatus.Failed)
            {
                return SpfMatch.TempError;
            }
            if (addresses.Records.Any(a => InNetwork(a, mechanism)))
            {
                return SpfMatch.Match;
            }
        }
        return SpfMatch.NoMatch;
    }

    // ptr: the client's validated names (section 5.5); errors in these lookups only mean no match.
    private async ValueTask<bool> PtrAsync(string target, CancellationToken cancellationToken)
    {
        foreach (var name in await ValidatedNamesAsync(cancellationToken))
        {
            if (name.Equals(target, StringComparison.OrdinalIgnoreCase) || name.EndsWith("." + target, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The client's PTR names (at most 10) whose addresses include the client: its validated names.</summary>
    private async ValueTask<List<string>> ValidatedNamesAsync(CancellationToken cancellationToken)
    {
        var validated = new List<string>();
        var names = await dns.PtrAsync(values.Client, cancellationToken);
        foreach (var name in names.Records.Take(SpfLimits.MaxNamesPerTerm).Select(SpfDomainName.Absolute).Where(SpfDomainName.IsQueryable))
        {
            var addresses = await dns.AddressesAsync(name, values.Client.AddressFamily, cancellationToken);
            if (addresses.Records.Contains(values.Client))
            {
                validated.Add(name);
            }
        }
        return validated;
    }

    // The p macro (section 7.3): a validated name, the current domain or one under it preferred; looked up once per check.
    private async ValueTask<string> ValidatedNameAsync(SpfRecord record, string domain, CancellationToken cancellationToken)
    {
        if (!record.Mechanisms.Any(m => m.DomainSpec?.UsesValidatedName == true) && record.Redirect?.UsesValidatedName != true)
        {
            return "unknown";
        }
        var names = _validatedNames ??= await ValidatedNamesAsync(cancellationToken);
        return names.FirstOrDefault(n => n.Equals(domain, StringComparison.OrdinalIgnoreCase)
            || n.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase)) ?? names.FirstOrDefault() ?? "unknown";
    }

    // The record's address, cut to the mechanism's CIDR length, as a network that may hold the client.
    private bool InNetwork(IPAddress address, SpfMechanism mechanism)
    {
        if (address.AddressFamily != values.Client.AddressFamily)
        {
            return false;
        }
        var length = address.AddressFamily == AddressFamily.InterNetwork ? mechanism.Cidr4 : mechanism.Cidr6;
        return SpfNetwork.Of(address, length).Contains(values.Client);
    }
}
