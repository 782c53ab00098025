using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Postern.Pki.Acme.Dns;
using Postern.Pki.Acme.Protocol;

namespace Postern.Pki.Acme.Challenges;

/// <summary>
/// dns-01 (RFC 8555 8.4) through RFC 2136 dynamic update: publishes the TXT record
/// <c>_acme-challenge.NAME</c> = base64url(SHA-256(key authorization)) with TTL 60 in the zone on
/// <c>acme.dns_update_server</c>, signed with the TSIG key, and returns once that server answers
/// the record (at most a minute); withdrawing deletes exactly that value. The zone is
/// <c>acme.dns_zone</c>, or the one the server's SOA answer names. Failures are
/// <see cref="AcmeException"/>s with one clear line.
/// </summary>
public sealed class Dns01Responder : IAcmeChallengeResponder
{
    public static readonly TimeSpan PropagationDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly DnsUpdateClient _updates;
    private readonly AuthoritativeLookup _lookup;
    private readonly string? _zone;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string Domain, string Token), Record> _published = new();

    public Dns01Responder(IPEndPoint updateServer, TsigKey key, string? zone, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(updateServer);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _updates = new DnsUpdateClient(updateServer, key, time);
        _lookup = new AuthoritativeLookup(updateServer, time);
        _zone = zone?.TrimEnd('.');
        _time = time;
        _logger = logger;
    }

    public AcmeChallengeType Type => AcmeChallengeType.Dns01;

    /// <summary>The owner name of the challenge record for <paramref name="domain"/> (a wildcard's is its base name's, RFC 8555 8.4).</summary>
    public static string RecordName(string domain) =>
        "_acme-challenge." + (domain.StartsWith("*.", StringComparison.Ordinal) ? domain[2..] : domain).TrimEnd('.');

    /// <summary>The TXT value: base64url of SHA-256 over the key authorization, without padding.</summary>
    public static string RecordValue(string keyAuthorization) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(keyAuthorization))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async Task PublishAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        var owner = RecordName(domain);
        var value = RecordValue(keyAuthorization);
        var zone = await ZoneAsync(owner, cancellationToken);
        var record = new Record(zone, owner, value);
        await Run($"publishing {owner} TXT in {zone}", () => _updates.AddTxtAsync(zone, owner, value, cancellationToken));
        _published[(domain, token)] = record;
        ChallengeLog.DnsPublished(_logger, owner, zone, _updates.Server);
        await WaitUntilServedAsync(record, cancellationToken);
    }

    /// <summary>
    /// Deletes the record; a failure is logged, not thrown: a leftover challenge record is
    /// harmless (its value is good for this one token), and the order's outcome, already decided,
    /// must not turn on the clean-up (certbot and lego treat it the same way).
    /// </summary>
    public async Task WithdrawAsync(string domain, string token, CancellationToken cancellationToken)
    {
        if (!_published.TryRemove((domain, token), out var record))
        {
            return;
        }
        try
        {
            await _updates.DeleteTxtAsync(record.Zone, record.Owner, record.Value, cancellationToken);
        }
        catch (Exception e) when (e is DnsUpdateException or OperationCanceledException)
        {
            ChallengeLog.DnsWithdrawFailed(_logger, record.Owner, record.Zone, _updates.Server, e.Message);
        }
    }

    private async Task<string> ZoneAsync(string owner, CancellationToken cancellationToken)
    {
        if (_zone is not null)
        {
            return DnsName.IsAtOrBelow(owner, _zone)
                ? _zone
                : throw new AcmeException($"dns-01: {owner} is not in acme.dns_zone {_zone}");
        }
        var zone = "";
        await Run($"finding the zone of {owner}", async () => zone = await _lookup.FindZoneAsync(owner, cancellationToken));
        return zone;
    }

    private async Task WaitUntilServedAsync(Record record, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(PropagationDeadline, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            while (true)
            {
                var served = false;
                await Run($"checking {record.Owner} TXT", async () => served = await _lookup.ServesTxtAsync(record.Owner, record.Value, linked.Token));
                if (served)
                {
                    return;
                }
                await Task.Delay(PollInterval, _time, linked.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new AcmeException($"dns-01: {_updates.Server} took the update but did not serve {record.Owner} TXT within {PropagationDeadline.TotalSeconds:0} s");
        }
    }

    /// <summary>Runs one DNS step; its failure becomes an <see cref="AcmeException"/> saying what was being done.</summary>
    private async Task Run(string step, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (DnsUpdateException e)
        {
            throw new AcmeException($"dns-01: {step} at {_updates.Server} failed: {e.Message}", e);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed record Record(string Zone, string Owner, string Value);
}
