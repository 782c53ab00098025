namespace Postern.Tools.Migration;

/// <summary>A <c>[[listener]]</c> translated from DAEMON_OPTIONS (or sendmail's default daemons).</summary>
internal sealed record McListener(string Name, string Address, string Role, string Tls, string Auth, bool? Etrn, McOption? Source)
{
    /// <summary>The daemon's own <c>InputMailFilters=</c> list; null: the server's.</summary>
    public IReadOnlyList<string>? Milters { get; init; }
}
