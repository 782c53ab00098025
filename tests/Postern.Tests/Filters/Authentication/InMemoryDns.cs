using System.Net;
using System.Net.Sockets;
using Postern.Filters.Authentication.Dns;

namespace Postern.Tests.Filters.Authentication;

/// <summary>
/// DNS zones in memory for the authentication checks: records by name and type, names that
/// fail (as a SERVFAIL or timeout would), CNAMEs followed, names that never answer (until the check's deadline
/// cancels them), and a count of the queries made.
/// </summary>
internal sealed class InMemoryDns : IAuthenticationDns
{
    private readonly Dictionary<string, List<(string Type, string Value)>> _records = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _failing = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _hanging = new(StringComparer.OrdinalIgnoreCase);

    public int Queries { get; private set; }

    public InMemoryDns Add(string name, string type, string value)
    {
        var key = Absolute(name);
        if (!_records.TryGetValue(key, out var list))
        {
            _records[key] = list = [];
        }
        list.Add((type.ToUpperInvariant(), value));
        return this;
    }

    public InMemoryDns Txt(string name, string value) => Add(name, "TXT", value);

    /// <summary>Queries of <paramref name="name"/> fail, unless it has records of the type asked.</summary>
    public InMemoryDns Fail(string name)
    {
        _failing.Add(Absolute(name));
        return this;
    }

    /// <summary>Queries of <paramref name="name"/> wait until cancelled.</summary>
    public InMemoryDns Hang(string name)
    {
        _hanging.Add(Absolute(name));
        return this;
    }

    /// <summary>Adds a zone line of the test data: NAME TYPE VALUE... (tab-separated), TYPE TIMEOUT for a failing name.</summary>
    public void AddLine(IReadOnlyList<string> fields)
    {
        switch (fields[1])
        {
            case "TIMEOUT":
                Fail(fields[0]);
                break;
            case "TXT":
                Txt(fields[0], string.Concat(fields.Skip(2)));
                break;
            case "MX":
                Add(fields[0], "MX", fields[3]);
                break;
            default:
                Add(fields[0], fields[1], fields[2]);
                break;
        }
    }

    public async ValueTask<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellationToken) =>
        await LookupAsync(name, "TXT", v => v, cancellationToken);

    public async ValueTask<DnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken) =>
        await LookupAsync(name, family == AddressFamily.InterNetwork ? "A" : "AAAA", IPAddress.Parse, cancellationToken);

    public async ValueTask<DnsAnswer<string>> MxAsync(string name, CancellationToken cancellationToken) =>
        await LookupAsync(name, "MX", Absolute, cancellationToken);

    public async ValueTask<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        await LookupAsync(ReverseName.Of(address), "PTR", Absolute, cancellationToken);

    private async Task<DnsAnswer<T>> LookupAsync<T>(string name, string type, Func<string, T> parse, CancellationToken cancellationToken)
    {
        Queries++;
        var key = Absolute(name);
        // A resolver follows a CNAME to the records of its target (a few steps; a loop answers nothing).
        for (var step = 0; step < 8 && _records.TryGetValue(key, out var own) && own.All(r => r.Type != type)
            && own.FirstOrDefault(r => r.Type == "CNAME").Value is { } alias; step++)
        {
            key = Absolute(alias);
        }
        if (_hanging.Contains(key))
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        var exists = _records.TryGetValue(key, out var records);
        var matching = exists ? records!.Where(r => r.Type == type).Select(r => parse(r.Value)).ToList() : [];
        if (matching.Count == 0 && _failing.Contains(key))
        {
            return new DnsAnswer<T>(DnsQueryStatus.Failed, []);
        }
        return exists ? new DnsAnswer<T>(DnsQueryStatus.Answered, matching) : new DnsAnswer<T>(DnsQueryStatus.NoSuchDomain, []);
    }

    private static string Absolute(string name) => name.EndsWith('.') ? name[..^1] : name;
}
