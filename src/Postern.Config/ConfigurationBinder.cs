using Microsoft.Extensions.Logging;
using Postern.Config.Milters;
using Postern.Queue;
using Postern.Server.Options;

namespace Postern.Config;

/// <summary>
/// Turns the parsed document into <see cref="PosternConfiguration"/>, reporting every invalid,
/// missing or unknown value. Sections are optional except <c>[[listener]]</c>; absent keys take
/// the defaults of the option records.
/// </summary>
internal static class ConfigurationBinder
{
    public const string SpoolDirectoryName = "spool";

    private static readonly Dictionary<string, BareNewlineMode> BareNewlineModes = new(StringComparer.Ordinal)
    {
        ["normalize"] = BareNewlineMode.Normalize,
        ["reject"] = BareNewlineMode.Reject,
    };

    private static readonly Dictionary<string, LogLevel> LogLevels = new(StringComparer.Ordinal)
    {
        ["debug"] = LogLevel.Debug,
        ["info"] = LogLevel.Information,
        ["warning"] = LogLevel.Warning,
        ["error"] = LogLevel.Error,
    };

    /// <summary>Null when anything was reported to <see cref="ConfigSection.Diagnostics"/>.</summary>
    public static PosternConfiguration? Bind(ConfigSection root, ConfigurationInputs inputs)
    {
        var server = root.GetTable("server");
        var hostName = ReadHostName(server, root.Diagnostics, inputs.MachineHostName);
        var dataDirectory = DataDirectoryResolver.Resolve(
            inputs.DataDirectoryOverride, ReadDataDirectory(server), inputs.FileDirectory, inputs.Environment, inputs.CurrentDirectory);
        var milters = MilterBinder.Bind(root, server);
        server?.ReportUnknownKeys();

        var acme = AcmeBinder.Bind(root.GetTable("acme"), hostName, dataDirectory, inputs);
        var tlsSection = root.GetTable("tls");
        var tls = TlsBinder.Bind(tlsSection, dataDirectory, inputs, acme);
        // Configured, valid or not: a bad CA path is reported once, at its own key.
        var clientCasConfigured = tlsSection is not null && (tlsSection.Contains("ca_file") || tlsSection.Contains("ca_path"));
        var listeners = ListenerBinder.Bind(root, clientCasConfigured, milters.Definitions.Select(d => d.Name).ToHashSet(StringComparer.Ordinal));
        var auth = AuthBinder.Bind(root.GetTable("auth"), dataDirectory, inputs);
        var limits = root.GetTable("limits");
        var serverOptions = BindLimits(
            limits, new SmtpServerOptions { HostName = hostName, Listeners = listeners, TlsHandshakeTimeout = tls.HandshakeTimeout, Auth = auth });
        var queue = BindQueue(root.GetTable("queue"), new QueueOptions { SpoolDirectory = ConfigPaths.Resolve(SpoolDirectoryName, dataDirectory) });
        var local = LocalBinder.Bind(root.GetTable("local"), hostName, dataDirectory, inputs);
        var log = BindLog(root.GetTable("log"), dataDirectory);
        var relay = DeliveryBinder.Bind(root, hostName, dataDirectory, inputs);
        var relayPolicy = PolicyBinder.Bind(root.GetTable("policy"), dataDirectory, inputs);
        if (limits?.Contains("bare_newline_exclusions") != true)
        {
            // As Postfix's smtpd_forbid_bare_newline_exclusions defaults to $mynetworks.
            serverOptions = serverOptions with { BareNewlineExclusions = relayPolicy.RelayNetworks };
        }
        var metrics = MetricsBinder.Bind(root.GetTable("metrics"));
        var mtaSts = MtaStsBinder.Bind(root.GetTable("mta_sts"));
        var tlsReporting = TlsReportingBinder.Bind(root.GetTable("tls_reporting"), hostName, dataDirectory, relay.HttpsCaFile);
        var dkim = DkimBinder.Bind(root, dataDirectory, inputs);
        var authenticationResults = AuthenticationResultsBinder.Bind(
            root.GetTable("authentication_results"), hostName, relayPolicy.RelayNetworks, dataDirectory, inputs);
        var virtualMailboxes = VirtualBinder.Bind(root.GetTable("virtual"), dataDirectory, inputs);
        // Last: it reports the pgsql: maps the other sections named when there is no [database].
        var database = DatabaseBinder.Bind(root.GetTable("database"), root.Diagnostics);
        root.ReportUnknownKeys();

        return root.Diagnostics.HasErrors
            ? null
            : new PosternConfiguration(root.Diagnostics.SourceName, dataDirectory, serverOptions, queue, local, log, tls, relay, relayPolicy) { Metrics = metrics, MtaSts = mtaSts, TlsReporting = tlsReporting, Milters = milters, Dkim = dkim, AuthenticationResults = authenticationResults, Acme = acme, Database = database, DatabaseMaps = [.. root.Diagnostics.DatabaseMaps], Virtual = virtualMailboxes, Files = root.Diagnostics.Files };
    }

    private static string ReadHostName(ConfigSection? server, ConfigDiagnostics diagnostics, string machineHostName)
    {
        const string Key = "hostname";
        var hostName = server?.GetString(Key);
        if (hostName is not null)
        {
            if (!HostNameSyntax.IsValid(hostName))
            {
                server!.Error(Key, $"must be a host name (letters, digits, inner hyphens, dot-separated labels of up to 63), got {ConfigValueText.Quote(hostName)}");
            }
            return hostName;
        }
        if (server is not null && server.Contains(Key))
        {
            return machineHostName; // wrong type, already reported
        }
        if (!HostNameSyntax.IsValid(machineHostName))
        {
            diagnostics.Add(server?.Location ?? SourceLocation.Start, "server.hostname",
                $"the machine's host name {ConfigValueText.Quote(machineHostName)} is not a valid host name; set server.hostname");
        }
        return machineHostName;
    }

    private static string? ReadDataDirectory(ConfigSection? server)
    {
        const string Key = "data_dir";
        var value = server?.GetString(Key);
        if (value is not null && (value.Length == 0 || value.Contains('\0', StringComparison.Ordinal)))
        {
            server!.Error(Key, $"must be a non-empty path, got {ConfigValueText.Describe(value)}");
            return null;
        }
        return value;
    }

    private static SmtpServerOptions BindLimits(ConfigSection? limits, SmtpServerOptions defaults)
    {
        if (limits is null)
        {
            return defaults;
        }
        var options = defaults with
        {
            MaxMessageSize = limits.GetSize("max_message_size", 1024, 2L * 1024 * 1024 * 1024) ?? defaults.MaxMessageSize,
            MaxRecipients = (int?)limits.GetInteger("max_recipients", 1, 10_000) ?? defaults.MaxRecipients,
            MaxConnections = (int?)limits.GetInteger("max_connections", 1, 100_000) ?? defaults.MaxConnections,
            MaxConnectionsPerIp = (int?)limits.GetInteger("max_connections_per_ip", 1, 100_000) ?? defaults.MaxConnectionsPerIp,
            MaxErrors = (int?)limits.GetInteger("max_errors", 1, 1000) ?? defaults.MaxErrors,
            CommandTimeout = limits.GetDuration("command_timeout", TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)) ?? defaults.CommandTimeout,
            DataTimeout = limits.GetDuration("data_timeout", TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)) ?? defaults.DataTimeout,
            MinDataRate = (int?)limits.GetInteger("min_data_rate", 1, 1_000_000_000) ?? defaults.MinDataRate,
            StressTimeout = limits.GetDuration("stress_timeout", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)) ?? defaults.StressTimeout,
            ShutdownGrace = limits.GetDuration("shutdown_grace", TimeSpan.Zero, TimeSpan.FromHours(1)) ?? defaults.ShutdownGrace,
            RecipientOvershootLimit = (int?)limits.GetInteger("recipient_overshoot_limit", 0, 100_000) ?? defaults.RecipientOvershootLimit,
            BareNewline = limits.GetChoice("bare_newline", BareNewlineModes) ?? defaults.BareNewline,
            BareNewlineExclusions = PolicyBinder.ReadNetworks(limits, "bare_newline_exclusions") ?? defaults.BareNewlineExclusions,
        };
        if (options.MaxConnectionsPerIp > options.MaxConnections)
        {
            limits.Error("max_connections_per_ip", $"must not exceed max_connections ({options.MaxConnections}), got {options.MaxConnectionsPerIp}");
        }
        limits.ReportUnknownKeys();
        return options;
    }

    private static QueueOptions BindQueue(ConfigSection? queue, QueueOptions defaults)
    {
        if (queue is null)
        {
            return defaults;
        }
        var options = defaults with
        {
            DeliveryConcurrency = (int?)queue.GetInteger("delivery_concurrency", 1, 1000) ?? defaults.DeliveryConcurrency,
            RetrySchedule = BindRetrySchedule(queue) ?? defaults.RetrySchedule,
            MaxQueueLifetime = queue.GetDuration("max_queue_lifetime", TimeSpan.FromMinutes(1), TimeSpan.FromDays(365)) ?? defaults.MaxQueueLifetime,
            DelayWarning = queue.GetDuration("delay_warning", TimeSpan.Zero, TimeSpan.FromDays(365)) ?? defaults.DelayWarning,
        };
        queue.ReportUnknownKeys();
        return options;
    }

    /// <summary><c>retry_schedule</c>: a non-empty list of durations, each 1s to 7d; null when absent or wrong.</summary>
    private static TimeSpan[]? BindRetrySchedule(ConfigSection queue)
    {
        if (queue.GetStringArray("retry_schedule") is not { } texts)
        {
            return null;
        }
        if (texts.Count is 0 or > 100)
        {
            queue.Error("retry_schedule", $"must list 1 to 100 durations, got {texts.Count}");
            return null;
        }
        var steps = new TimeSpan[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            if (!DurationSyntax.TryParse(texts[i], out steps[i]) || steps[i] < TimeSpan.FromSeconds(1) || steps[i] > TimeSpan.FromDays(7))
            {
                queue.Error("retry_schedule", $"item {i + 1} must be a duration from 1s to 7d (like \"5m\"), got {ConfigValueText.Quote(texts[i])}");
                return null;
            }
        }
        return steps;
    }

    private static LogOptions BindLog(ConfigSection? log, string dataDirectory)
    {
        if (log is null)
        {
            return new LogOptions(null, LogLevel.Information);
        }
        var options = new LogOptions(
            ConfigPaths.Read(log, "file", dataDirectory),
            log.GetChoice("level", LogLevels) ?? LogLevel.Information);
        log.ReportUnknownKeys();
        return options;
    }
}
