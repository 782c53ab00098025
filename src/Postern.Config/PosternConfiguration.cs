using Postern.Config.Milters;
using Postern.Core.Tls;
using Postern.Delivery.Local;
using Postern.Delivery.MtaSts;
using Postern.Delivery.Relay;
using Postern.Filters.Dkim;
using Postern.Filters.Authentication;
using Postern.Policy;
using Postern.Queue;
using Postern.Queue.TlsReports;
using Postern.Server.Options;

namespace Postern.Config;

/// <summary>
/// The validated configuration of one <c>postern</c> process, already split into the options each
/// component takes. Every path in it is absolute.
/// </summary>
/// <param name="Source">The file it came from, or <see cref="ConfigurationLoader.EmbeddedDefaultSource"/>.</param>
/// <param name="DataDirectory">Holds spool/ and, unless configured elsewhere, mailboxes/.</param>
/// <param name="Server">Listeners, host name and limits for Postern.Server.</param>
/// <param name="Queue">Spool directory and retry schedule for Postern.Queue.</param>
/// <param name="Local">Local domains, users and aliases for local delivery.</param>
/// <param name="Log">Where the mail log goes besides stderr, and how much of it.</param>
/// <param name="Tls">Certificates, trust anchors and protocol settings of <c>[tls]</c>.</param>
/// <param name="Relay">Smart host, routes, outbound TLS policy and DNS of <c>[delivery]</c> and <c>[[route]]</c>.</param>
/// <param name="RelayPolicy">Relay networks and relay domains of <c>[policy]</c>.</param>
public sealed record PosternConfiguration(
    string Source,
    string DataDirectory,
    SmtpServerOptions Server,
    QueueOptions Queue,
    LocalDeliveryOptions Local,
    LogOptions Log,
    TlsSettings Tls,
    RelayOptions Relay,
    RelayPolicyOptions RelayPolicy)
{
    /// <summary>The scrape and health endpoint of <c>[metrics]</c>; off by default.</summary>
    public MetricsOptions Metrics { get; init; } = MetricsOptions.Disabled;

    /// <summary>TLS-RPT (RFC 8460) counting and reports of <c>[tls_reporting]</c>; on by default.</summary>
    public TlsReportingOptions TlsReporting { get; init; } = new();

    /// <summary>SPF, DKIM and DMARC checks of inbound mail (<c>[authentication_results]</c>); off by default.</summary>
    public AuthenticationResultsOptions AuthenticationResults { get; init; } = new();
    /// <summary>The <c>[[milter]]</c> entries and the lists that say which run where; none by default.</summary>
    public MilterOptions Milters { get; init; } = MilterOptions.None;

    /// <summary>
    /// Local submissions pass stage handlers (<c>[server] local_milters</c>): the sendmail command
    /// then hands every message to the daemon through the maildrop, even where it could write the
    /// spool, since only the daemon runs those handlers.
    /// </summary>
    public bool FiltersLocalSubmissions => Milters.LocalMilters.Count > 0;

    /// <summary>MTA-STS for MX delivery (<c>[mta_sts]</c>); on by default.</summary>
    public MtaStsOptions MtaSts { get; init; } = new();

    /// <summary>The <c>[[dkim]]</c> entries, in file order; their keys are read by <see cref="Loading.DkimKeyLoader"/>.</summary>
    public IReadOnlyList<DkimEntry> Dkim { get; init; } = [];

    /// <summary>Certificates from an ACME CA (<c>[acme]</c>); null when the section is absent.</summary>
    public Pki.Acme.AcmeOptions? Acme { get; init; }

    /// <summary>The PostgreSQL database of the <c>pgsql:NAME</c> maps (<c>[database]</c>); null when the section is absent.</summary>
    public Database.DatabaseOptions? Database { get; init; }

    /// <summary>Every key that named a <c>pgsql:</c> table, in binding order: the tables <c>postern db init</c> creates.</summary>
    public IReadOnlyList<DatabaseMapUse> DatabaseMaps { get; init; } = [];

    /// <summary>Virtual mailbox domains (<c>[virtual]</c>); none by default.</summary>
    public Delivery.Virtual.VirtualMailboxOptions Virtual { get; init; } = Delivery.Virtual.VirtualMailboxOptions.None;

    /// <summary>Which key and line named each configured file, for errors found when the file is read.</summary>
    public ConfiguredFiles Files { get; init; } = new();
}
