namespace Postern.Config;

/// <summary>
/// Binds <c>[metrics]</c>: <c>listen</c>, an address in listener syntax. Off when the section or
/// the key is absent. Any address is accepted (a Prometheus server elsewhere needs one); the
/// endpoint has no authentication, so docs/metrics.md advises loopback or a firewalled network.
/// </summary>
internal static class MetricsBinder
{
    public static MetricsOptions Bind(ConfigSection? section)
    {
        if (section is null)
        {
            return MetricsOptions.Disabled;
        }
        const string Key = "listen";
        var options = MetricsOptions.Disabled;
        if (section.GetString(Key) is { } text)
        {
            if (ListenAddressSyntax.TryParse(text, out var endPoint))
            {
                options = new MetricsOptions(endPoint);
            }
            else
            {
                section.Error(Key, $"must be {ListenAddressSyntax.Description}, got {ConfigValueText.Quote(text)}");
            }
        }
        section.ReportUnknownKeys();
        return options;
    }
}
