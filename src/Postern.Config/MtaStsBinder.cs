using Postern.Delivery.MtaSts;

namespace Postern.Config;

/// <summary>
/// Binds <c>[mta_sts]</c>: <c>enabled</c> (default true), <c>fetch_timeout</c> (1s to 5m, default
/// 30s) and <c>connect_to</c> (IPv4:port or [IPv6]:port, for tests: every policy fetch connects
/// there while the TLS name and Host header stay mta-sts.DOMAIN).
/// </summary>
internal static class MtaStsBinder
{
    private const string ConnectToDescription = "IPv4:port or [IPv6]:port with a port from 1 to 65535";

    public static MtaStsOptions Bind(ConfigSection? section)
    {
        var defaults = new MtaStsOptions();
        if (section is null)
        {
            return defaults;
        }
        var options = defaults with
        {
            Enabled = section.GetBoolean("enabled") ?? defaults.Enabled,
            FetchTimeout = section.GetDuration("fetch_timeout", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5)) ?? defaults.FetchTimeout,
            ConnectTo = ReadConnectTo(section),
        };
        section.ReportUnknownKeys();
        return options;
    }

    private static System.Net.IPEndPoint? ReadConnectTo(ConfigSection section)
    {
        const string Key = "connect_to";
        if (section.GetString(Key) is not { } text)
        {
            return null;
        }
        // The listener syntax minus its wildcards: a fetch connects to one address.
        if (!ListenAddressSyntax.TryParse(text, out var endPoint) || endPoint.Port == 0 || text.StartsWith('*') || endPoint.Address.Equals(System.Net.IPAddress.IPv6Any))
        {
            section.Error(Key, $"must be {ConnectToDescription}, got {ConfigValueText.Quote(text)}");
            return null;
        }
        return endPoint;
    }
}
