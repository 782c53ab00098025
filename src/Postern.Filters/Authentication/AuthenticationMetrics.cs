using System.Diagnostics.Metrics;

namespace Postern.Filters.Authentication;

/// <summary>
/// Counts of the authentication results on the process's <c>Postern</c> meter, by method (spf,
/// dkim, dmarc) and result word, and of the DMARC policy actions taken in enforce mode: bounded sets.
/// </summary>
public sealed class AuthenticationMetrics
{
    private readonly Counter<long> _results;
    private readonly Counter<long> _actions;

    public AuthenticationMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _results = meter.CreateCounter<long>(
            "postern.authentication.results", "{result}", "SPF, DKIM and DMARC results of inbound mail, by method and result");
        _actions = meter.CreateCounter<long>(
            "postern.authentication.dmarc.actions", "{message}", "Messages rejected or quarantined for their DMARC policy in enforce mode");
    }

    internal void Result(string method, string result) => _results.Add(1, new("method", method), new("result", result));

    internal void Action(string action) => _actions.Add(1, new KeyValuePair<string, object?>("action", action));
}
