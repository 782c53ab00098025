namespace Postern.Queue.TlsReports;

/// <summary>
/// <c>[tls_reporting]</c>: whether outbound TLS sessions are counted and reported (RFC 8460), who
/// the reports say they come from, and how long one report period is. The binder fills the
/// defaults that depend on server.hostname.
/// </summary>
public sealed record TlsReportingOptions
{
    /// <summary>The shortest period: shorter ones would only flood the receivers (and exist for tests).</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(10);

    /// <summary>Whether sessions are counted and reports sent (default true).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>"organization-name" in the report; defaults to server.hostname.</summary>
    public string Organization { get; init; } = "localhost";

    /// <summary>"contact-info" in the report; defaults to postmaster@server.hostname.</summary>
    public string Contact { get; init; } = "postmaster@localhost";

    /// <summary>The report mail's sender (From and MAIL FROM); its domain is the report submitter.</summary>
    public string From { get; init; } = "postmaster@localhost";

    /// <summary>The report period; periods are aligned to multiples of it since 1970-01-01T00:00:00Z (UTC midnight for 24h).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Absolute path of a PEM bundle of CAs for the HTTPS POST (delivery.https_ca_file); null for the system store.</summary>
    public string? HttpsCaFile { get; init; }

    /// <summary>The directory of counts waiting to be reported: &lt;data_dir&gt;/tls-reports.</summary>
    public string Directory { get; init; } = "";

    /// <summary>The submitter domain (RFC 8460 section 5.3, TLS-Report-Submitter): the domain of <see cref="From"/>.</summary>
    public string Submitter => From[(From.LastIndexOf('@') + 1)..];

    /// <summary>The name of the report directory under the data directory.</summary>
    public const string DirectoryName = "tls-reports";
}
