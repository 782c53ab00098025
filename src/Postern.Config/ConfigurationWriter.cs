using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Postern.Config.Milters;
using Postern.Core.Policy;
using Postern.Core.Tls;
using Postern.Delivery.MtaSts;
using Postern.Delivery.Relay;
using Postern.Filters.Dkim;
using Postern.Filters.Authentication;
using Postern.Policy.Restrictions;
using Postern.Server.Options;

namespace Postern.Config;

/// <summary>
/// <c>postern config show</c>: the effective configuration as TOML, every section and key with the
/// defaults filled in and every path absolute, which loads back to the same configuration. Only
/// paths are printed, never the content of the files they name.
/// </summary>
public static class ConfigurationWriter
{
    public static string Write(PosternConfiguration configuration, string usersFile)
    {
        var toml = new TomlBuilder();
        toml.Comment($"The effective configuration of {configuration.Source}, defaults filled in (postern config show).");
        var server = configuration.Server;
        toml.Section("server");
        toml.Key("hostname", TomlText.String(server.HostName));
        toml.Key("data_dir", TomlText.String(configuration.DataDirectory));
        toml.Key("milters", TomlText.Array(configuration.Milters.ServerMilters));
        toml.Key("local_milters", TomlText.Array(configuration.Milters.LocalMilters));

        foreach (var listener in server.Listeners)
        {
            WriteListener(toml, listener);
        }
        MilterWriter.Write(toml, configuration.Milters);
        WriteAuth(toml, server.Auth, usersFile);
        WriteTls(toml, configuration.Tls);
        AcmeWriter.Write(toml, configuration.Acme);

        toml.Section("limits");
        toml.Key("max_message_size", TomlText.String(ByteSizeSyntax.Format(server.MaxMessageSize)));
        toml.Key("max_recipients", TomlText.Integer(server.MaxRecipients));
        toml.Key("max_connections", TomlText.Integer(server.MaxConnections));
        toml.Key("max_connections_per_ip", TomlText.Integer(server.MaxConnectionsPerIp));
        toml.Key("max_errors", TomlText.Integer(server.MaxErrors));
        toml.Key("command_timeout", Duration(server.CommandTimeout));
        toml.Key("data_timeout", Duration(server.DataTimeout));
        toml.Key("min_data_rate", TomlText.Integer(server.MinDataRate));
        toml.Key("stress_timeout", Duration(server.StressTimeout));
        toml.Key("shutdown_grace", Duration(server.ShutdownGrace));
        toml.Key("recipient_overshoot_limit", TomlText.Integer(server.RecipientOvershootLimit));
        toml.Key("bare_newline", TomlText.String(server.BareNewline == BareNewlineMode.Reject ? "reject" : "normalize"));
        toml.Key("bare_newline_exclusions", TomlText.Array(server.BareNewlineExclusions.Select(n => n.ToString())));

        var local = configuration.Local;
        toml.Section("local");
        toml.Key("domains", TomlText.Array(local.Domains));
        toml.Key("users", TomlText.Array(local.Users));
        toml.Key("mailbox_root", TomlText.String(local.MailboxRoot));
        toml.OptionalPath("aliases", local.Aliases?.ToString());
        toml.Key("allow_pipe_aliases", TomlText.Boolean(local.AllowPipeAliases));
        toml.Key("allow_file_aliases", TomlText.Boolean(local.AllowFileAliases));
        toml.Key("postmaster", TomlText.String(local.PostmasterUser));
        if (local.Transport is { } transport)
        {
            toml.Key("transport", TomlText.String(transport));
        }

        var queue = configuration.Queue;
        toml.Section("queue");
        toml.Key("delivery_concurrency", TomlText.Integer(queue.DeliveryConcurrency));
        toml.Key("retry_schedule", TomlText.Array(queue.RetrySchedule.Select(DurationSyntax.Format)));
        toml.Key("max_queue_lifetime", Duration(queue.MaxQueueLifetime));
        toml.Key("delay_warning", Duration(queue.DelayWarning));

        toml.Section("log");
        toml.Key("level", TomlText.String(LogLevelWord(configuration.Log.Level)));
        toml.OptionalPath("file", configuration.Log.File);

        WriteDelivery(toml, configuration.Relay);
        WriteMtaSts(toml, configuration.MtaSts);
        WritePolicy(toml, configuration.RelayPolicy);
        if (configuration.Metrics.Listen is { } metrics)
        {
            toml.Section("metrics");
            toml.Key("listen", TomlText.String(Address(metrics)));
        }
        else
        {
            toml.Comment("[metrics] listen is not set: no /metrics or /healthz endpoint.");
        }
        TlsReportingWriter.Write(toml, configuration.TlsReporting);
        WriteDkim(toml, configuration.Dkim);
        WriteAuthenticationResults(toml, configuration.AuthenticationResults);
        WriteVirtual(toml, configuration.Virtual);
        DatabaseWriter.Write(toml, configuration.Database);
        return toml.ToString();
    }

    private static void WriteVirtual(TomlBuilder toml, Delivery.Virtual.VirtualMailboxOptions options)
    {
        if (!options.IsEnabled)
        {
            toml.Comment("No [virtual] domains: every domain is local or relayed.");
            return;
        }
        toml.Section("virtual");
        toml.Key("domains", options.DomainsTable is { } table ? TomlText.String(table.ToString()) : TomlText.Array(options.Domains));
        toml.OptionalPath("mailboxes", options.Mailboxes?.ToString());
        toml.OptionalPath("transport", options.Transport);
    }

    private static void WriteAuthenticationResults(TomlBuilder toml, AuthenticationResultsOptions options)
    {
        toml.Section("authentication_results");
        toml.Key("mode", TomlText.String(options.Mode.ToString().ToLowerInvariant()));
        if (options.AuthservId is { } id)
        {
            toml.Key("authserv_id", TomlText.String(id));
        }
        toml.Key("public_suffix_list", TomlText.String(options.PublicSuffixList));
        toml.Key("ignore_networks", TomlText.Array(options.IgnoreNetworks.Select(n => n.ToString())));
        toml.Key("dns_timeout", Duration(options.DnsTimeout));
    }

    private static void WriteListener(TomlBuilder toml, ListenerOptions listener)
    {
        toml.ArraySection("listener");
        toml.Key("name", TomlText.String(listener.Name));
        toml.Key("address", TomlText.String(Address(listener.EndPoint)));
        toml.Key("role", TomlText.String(listener.Role == ListenerRole.Msa ? "msa" : "mta"));
        toml.Key("tls", TomlText.String(listener.Tls switch
        {
            ListenerTlsMode.StartTls => "starttls",
            ListenerTlsMode.Implicit => "implicit",
            _ => "none",
        }));
        toml.Key("require_tls", TomlText.Boolean(listener.RequireTls));
        toml.Key("client_cert", TomlText.String(listener.ClientCertificates.ToString().ToLowerInvariant()));
        toml.Key("etrn", TomlText.Boolean(listener.Etrn));
        toml.Key("auth", TomlText.String(listener.Auth.ToString().ToLowerInvariant()));
        if (listener.Milters is { } milters)
        {
            toml.Key("milters", TomlText.Array(milters));
        }
        else
        {
            toml.Comment("milters: [server] milters");
        }
        toml.Key("proxy_protocol", TomlText.Boolean(listener.Proxy is not null));
        if (listener.Proxy is { } proxy)
        {
            toml.Key("proxy_trusted", TomlText.Array(proxy.Trusted.Select(n => n.ToString())));
            toml.Key("proxy_timeout", Duration(proxy.Timeout));
        }
    }

    private static void WriteAuth(TomlBuilder toml, AuthOptions auth, string usersFile)
    {
        toml.Section("auth");
        toml.Key("mechanisms", TomlText.Array(auth.Mechanisms));
        toml.Key("trusted_mechanisms", TomlText.Array(auth.TrustedMechanisms));
        toml.Key("plaintext_requires_tls", TomlText.Boolean(auth.PlaintextRequiresTls));
        toml.Key("allow_anonymous", TomlText.Boolean(false));
        toml.Key("auth_param_only_when_authenticated", TomlText.Boolean(auth.AuthParamOnlyWhenAuthenticated));
        toml.Key("failure_delay", Duration(auth.FailureDelay));
        toml.Key("max_failures", TomlText.Integer(auth.MaxFailures));
        toml.Key("failure_window", Duration(auth.FailureWindow));
        toml.Key("block_duration", Duration(auth.BlockDuration));
        toml.OptionalPath("sender_login_map", auth.SenderLoginMap?.ToString());
        toml.Key("users_file", TomlText.String(auth.UsersTable is { } table ? Core.Maps.MapReference.DatabasePrefix + table : usersFile));
    }

    private static void WriteTls(TomlBuilder toml, TlsSettings tls)
    {
        toml.Section("tls");
        var first = tls.ServerCertificates.Count > 0 ? tls.ServerCertificates[0] : null;
        if (first is null && tls.AcmeCertificates.Count > 0)
        {
            toml.Comment($"No server certificate: the ACME certificates serve ({string.Join(", ", tls.AcmeCertificates.Select(c => c.CertificateFile))}), a self-signed one generated in {tls.GeneratedCertificateDirectory} until they exist.");
        }
        else if (first is null)
        {
            toml.Comment($"No server certificate: a self-signed one is generated in {tls.GeneratedCertificateDirectory}.");
        }
        else
        {
            toml.Key("server_cert", TomlText.String(first.CertificateFile));
            toml.OptionalPath("server_key", first.KeyFile);
        }
        toml.OptionalPath("ca_file", tls.CaFile);
        toml.OptionalPath("ca_path", tls.CaPath);
        toml.OptionalPath("crl_file", tls.CrlFile);
        toml.OptionalPath("crl_path", tls.CrlPath);
        toml.Key("min_version", TomlText.String(tls.MinVersion == SslProtocols.Tls13 ? "1.3" : "1.2"));
        if (tls.CipherSuites is { } suites)
        {
            toml.Key("ciphers", TomlText.Array(suites.Select(s => s.ToString())));
        }
        else
        {
            toml.Comment("ciphers: Postern's default list of forward-secret AEAD suites.");
        }
        if (tls.ClientCertificateFromAcme)
        {
            toml.Key("client_cert", TomlText.String(TlsBinder.AcmeClientCertificate));
        }
        else if (tls.ClientCertificate is { } client)
        {
            toml.Key("client_cert", TomlText.String(client.CertificateFile));
            toml.OptionalPath("client_key", client.KeyFile);
        }
        toml.Key("handshake_timeout", Duration(tls.HandshakeTimeout));
        foreach (var extra in tls.ServerCertificates.Skip(1))
        {
            toml.ArraySection("tls.certificate");
            toml.Key("cert", TomlText.String(extra.CertificateFile));
            toml.OptionalPath("key", extra.KeyFile);
        }
    }

    private static void WriteDelivery(TomlBuilder toml, RelayOptions relay)
    {
        toml.Section("delivery");
        if (relay.SmartHost is { } smartHost)
        {
            toml.Key("smarthost", TomlText.String(smartHost.ToString()));
        }
        toml.Key("tls", TomlText.String(OutboundTlsWords.Word(relay.Tls)));
        toml.Key("dns_servers", TomlText.Array(relay.DnsServers.Select(Address)));
        toml.Key("dnssec_probe_signed", TomlText.String(relay.DnssecProbeSigned ?? ""));
        toml.Key("dnssec_probe_broken", TomlText.String(relay.DnssecProbeBroken ?? ""));
        toml.Key("helo_name", TomlText.String(relay.HeloName));
        toml.Key("connect_timeout", Duration(relay.ConnectTimeout));
        toml.Key("command_timeout", Duration(relay.CommandTimeout));
        toml.Key("max_per_destination", TomlText.Integer(relay.MaxPerDestination));
        toml.OptionalPath("auth_file", relay.AuthFile);
        toml.OptionalPath("sender_auth_file", relay.SenderAuthFile);
        toml.OptionalPath("verify_ca_file", relay.VerifyCaFile);
        toml.OptionalPath("https_ca_file", relay.HttpsCaFile);
        foreach (var route in relay.Routes)
        {
            toml.ArraySection("route");
            toml.Key("domain", TomlText.String(route.Domain));
            toml.Key("via", TomlText.String(route.Via?.ToString() ?? "mx"));
            if (route.Tls is { } tls)
            {
                toml.Key("tls", TomlText.String(OutboundTlsWords.Word(tls)));
            }
            if (route.ClientCertificate is { } certificate)
            {
                toml.Key("client_cert", TomlText.String(certificate.CertificateFile));
                toml.OptionalPath("client_key", certificate.KeyFile);
            }
            if (route.AuthUser is { } user)
            {
                // The password stays in its file: only the path is shown.
                toml.Key("auth_user", TomlText.String(user));
                toml.OptionalPath("auth_password_file", route.AuthPasswordFile);
            }
        }
    }

    private static void WriteMtaSts(TomlBuilder toml, MtaStsOptions options)
    {
        toml.Section("mta_sts");
        toml.Key("enabled", TomlText.Boolean(options.Enabled));
        toml.Key("fetch_timeout", Duration(options.FetchTimeout));
        if (options.ConnectTo is { } connectTo)
        {
            toml.Key("connect_to", TomlText.String(Address(connectTo)));
        }
    }

    private static void WritePolicy(TomlBuilder toml, Policy.RelayPolicyOptions policy)
    {
        toml.Section("policy");
        toml.Key("relay_networks", TomlText.Array(policy.RelayNetworks.Select(n => n.ToString())));
        toml.Key("relay_domains", policy.RelayDomainsTable is { } table ? TomlText.String(table.ToString()) : TomlText.Array(policy.RelayDomains));
        toml.OptionalPath("access_map", policy.AccessMap?.ToString());
        foreach (var stage in Enum.GetValues<RestrictionStage>())
        {
            toml.Key(RestrictionCatalog.StageWord(stage) + "_restrictions", TomlText.Array(policy.Restrictions.For(stage)));
        }
    }

    private static void WriteDkim(TomlBuilder toml, IReadOnlyList<DkimEntry> entries)
    {
        if (entries.Count == 0)
        {
            toml.Comment("No [[dkim]] entry: Postern signs no mail.");
            return;
        }
        foreach (var entry in entries)
        {
            toml.ArraySection("dkim");
            toml.Key("domain", TomlText.String(entry.Domain));
            toml.Key("selector", TomlText.String(entry.Selector));
            toml.Key("key", TomlText.String(entry.KeyFile));
            if (entry.Algorithm is { } algorithm)
            {
                toml.Key("algorithm", TomlText.String(algorithm.KeyType()));
            }
            toml.Key("headers", TomlText.Array(entry.Headers));
            toml.Key("oversign_headers", TomlText.Array(entry.OversignHeaders));
            toml.Key("canonicalization", TomlText.String(entry.CanonicalizationTag));
            toml.Key("subdomains", TomlText.Boolean(entry.Subdomains));
        }
    }

    private static string Duration(TimeSpan value) => TomlText.String(DurationSyntax.Format(value));

    private static string Address(IPEndPoint endPoint) => endPoint.AddressFamily == AddressFamily.InterNetworkV6
        ? $"[{endPoint.Address}]:{endPoint.Port}"
        : $"{endPoint.Address}:{endPoint.Port}";

    private static string LogLevelWord(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Warning => "warning",
        LogLevel.Error or LogLevel.Critical => "error",
        _ => "info",
    };
}
