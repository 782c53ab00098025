using System.Globalization;
using System.Net;
using Postern.Core.Maps;
using Postern.Core.Policy;
using Postern.Core.Smtp;
using Postern.Server.Options;
using Postern.Server.Session;

namespace Postern.Server.Listening;

/// <summary>
/// Decides whether a new connection gets a session: the client's connection rate (<c>ClientRate:</c>),
/// the server's slots, and the client's concurrent connections (<c>ClientConn:</c> where the access
/// map sets it, otherwise <c>max_connections_per_ip</c>).
/// </summary>
internal sealed class ConnectionAdmission
{
    private readonly ConnectionLimiter _limiter;
    private readonly ConnectionRateCounter _rates;
    private readonly IClientLimits? _clientLimits;

    /// <param name="options">The server's limits.</param>
    /// <param name="clientLimits">The access map's per-client limits; null: none.</param>
    /// <param name="clock">For the rate windows.</param>
    /// <param name="stressChanged">Told when stress starts (true) or ends, with the connections in use.</param>
    public ConnectionAdmission(SmtpServerOptions options, IClientLimits? clientLimits, TimeProvider clock, Action<bool, int>? stressChanged = null)
    {
        _limiter = new ConnectionLimiter(options.MaxConnections, options.MaxConnectionsPerIp, stressChanged);
        _rates = new ConnectionRateCounter(clock);
        _clientLimits = clientLimits;
    }

    /// <summary>True while most connection slots are taken: sessions get the stress timeout.</summary>
    public bool UnderStress => _limiter.UnderStress;

    /// <summary>Null when the connection is admitted (then <see cref="Release"/> it at its end); otherwise the reply and the reason for the mail log.</summary>
    public (SmtpReply Reply, string Reason)? Admit(IPAddress address) =>
        Admit(address, _clientLimits?.Lookup(address) ?? ClientLimits.None);

    /// <summary>
    /// <see cref="Admit(IPAddress)"/> when the limits may be in a table: a table that cannot answer
    /// refuses the connection with 421 4.3.0 (its limits are unknown, so none is granted).
    /// </summary>
    public async ValueTask<(SmtpReply Reply, string Reason)?> AdmitAsync(IPAddress address, CancellationToken cancellationToken)
    {
        ClientLimits limits;
        try
        {
            limits = _clientLimits is null ? ClientLimits.None : await _clientLimits.LookupAsync(address, cancellationToken);
        }
        catch (LookupTableUnavailableException e)
        {
            return (Replies.LimitLookupFailed, "connection limits unknown: " + e.Message);
        }
        return Admit(address, limits);
    }

    private (SmtpReply Reply, string Reason)? Admit(IPAddress address, ClientLimits limits)
    {
        if (limits.ConnectionsPerMinute is { Value: > 0 } rate)
        {
            // Every attempt counts, refused ones too: a client hammering at its limit stays over it.
            var count = _rates.Count(address);
            if (count > rate.Value)
            {
                return (Replies.ConnectionRateExceeded, "connection rate " + Number(count) + " per minute exceeds " + Number(rate.Value) + " (" + rate.Origin + ")");
            }
        }
        return _limiter.TryAcquire(address, limits.Connections?.Value) switch
        {
            ConnectionRefusal.None => null,
            ConnectionRefusal.ServerFull => (Replies.TooManyConnections, "too many connections"),
            ConnectionRefusal.AddressFull => (Replies.TooManyConnections, "too many connections from this address"),
            _ => (Replies.TooManyOpenConnections, "more than " + Number(limits.Connections!.Value.Value) + " open connections (" + limits.Connections.Value.Origin + ")"),
        };
    }

    public void Release(IPAddress address) => _limiter.Release(address);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
