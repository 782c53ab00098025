using Postern.Config.Lint;
using Postern.Config.Loading;
using Postern.Filters.Dkim;
using Postern.Pki.Tls;

namespace Postern.Config.Check;

/// <summary>
/// <c>postern config check</c>: loads the configuration and every file it names as `serve` would
/// (errors: exit 78), then prints warnings for settings that work but defeat their purpose (exit 0).
/// </summary>
public static class ConfigCheck
{
    public static int Run(string? configPath, string? dataDir, TextWriter output, TextWriter errors, TimeProvider clock) =>
        Run(configPath, dataDir, output, errors, clock, DnssecChecks.RunProbeAsync);

    /// <summary>As <see cref="Run(string?, string?, TextWriter, TextWriter, TimeProvider)"/>, with the DNSSEC probe given: tests pass a fake when the machine's resolver is not the subject.</summary>
    public static int Run(string? configPath, string? dataDir, TextWriter output, TextWriter errors, TimeProvider clock, DnssecProbeRunner dnssecProbe)
    {
        var result = ConfigurationLoader.Load(configPath, dataDir, Environment.GetEnvironmentVariable);
        if (!result.Succeeded)
        {
            return ConfigurationErrors.Report(result, errors, consequence: null);
        }
        var configuration = result.Configuration;
        if (LocalDirectoryLoader.TryLoad(configuration.Local, errors) is null)
        {
            return ExitCodes.Config;
        }
        if (AccessMapLoader.TryLoad(configuration.RelayPolicy.AccessMapFile, errors) is not { } accessMap)
        {
            return ExitCodes.Config;
        }
        if (SenderLoginMapLoader.TryLoad(configuration.Server.Auth.SenderLoginMapFile, errors) is not { } senderLogins)
        {
            return ExitCodes.Config;
        }
        if (!MapChecks.LoadVirtualFiles(configuration, errors))
        {
            return ExitCodes.Config;
        }
        using var dkim = DkimKeyLoader.TryLoad(configuration, errors);
        if (dkim is null)
        {
            return ExitCodes.Config;
        }
        if (AuthChecks.Run(configuration, errors, out var users) is not { } authWarnings)
        {
            return ExitCodes.Config;
        }
        if (HttpsCaCheck.Load(configuration.Relay.HttpsCaFile) is { } httpsCaError)
        {
            errors.WriteLine(TlsErrorReport.Describe(configuration, httpsCaError));
            return ExitCodes.Config;
        }
        if (!AcmeChecks.LoadFiles(configuration, errors))
        {
            return ExitCodes.Config;
        }
        if (CheckServerCertificates(configuration, clock, errors) is not { } tlsWarnings
            || CheckClientCertificate(configuration, clock, errors) is not { } clientWarnings
            || !RelayCredentialChecks.Run(configuration, errors))
        {
            return ExitCodes.Config;
        }

        var warnings = new List<ConfigWarning>();
        warnings.AddRange(authWarnings.Select(w => new ConfigWarning("auth", w)));
        warnings.AddRange(tlsWarnings.Concat(clientWarnings).Select(w => new ConfigWarning("TLS", w)));
        warnings.AddRange(CertificateLint.Check(configuration.Tls, clock));
        warnings.AddRange(AcmeLint.Check(configuration, clock));
        warnings.AddRange(AcmeChecks.Warnings(configuration));
        warnings.AddRange(RelayLint.Check(configuration, accessMap));
        warnings.AddRange(ListenerLint.Check(configuration, accessMap));
        warnings.AddRange(SenderLoginLint.Check(configuration, accessMap, senderLogins, users));
        warnings.AddRange(ClientLimitLint.Check(configuration, accessMap));
        warnings.AddRange(dkim.Warnings.Select(w => new ConfigWarning("dkim", w)));
        warnings.AddRange(AuthenticationResultsLint.Check(configuration));
        warnings.AddRange(MilterChecks.Probe(configuration, clock));
        warnings.AddRange(DnssecChecks.Probe(configuration, dnssecProbe, clock));
        // Warnings first, the verdict last: the line a reader sees at the end says how many there were.
        foreach (var warning in warnings)
        {
            errors.WriteLine(warning.ToString());
        }
        errors.Flush();
        WriteSummary(configuration, dkim, warnings.Count, output);
        return ExitCodes.Ok;
    }

    private static void WriteSummary(PosternConfiguration configuration, DkimSigningTable dkim, int warningCount, TextWriter output)
    {
        output.WriteLine($"{configuration.Source}:");
        output.WriteLine($"  data directory: {configuration.DataDirectory}");
        foreach (var listener in configuration.Server.Listeners)
        {
            output.WriteLine($"  listener {listener.Name}: {listener.EndPoint} ({listener.Role.ToString().ToLowerInvariant()}, tls={listener.Tls.ToString().ToLowerInvariant()}{(listener.RequireTls ? ", require_tls" : "")}, client_cert={listener.ClientCertificates.ToString().ToLowerInvariant()}, auth={listener.Auth.ToString().ToLowerInvariant()})");
        }
        foreach (var line in MilterChecks.Summary(configuration))
        {
            output.WriteLine(line);
        }
        var certificates = configuration.Tls.ServerCertificates;
        output.WriteLine(certificates.Count == 0
            ? configuration.Acme is null
                ? $"  tls certificate: generated in {configuration.Tls.GeneratedCertificateDirectory}"
                : $"  tls certificate: from ACME, generated in {configuration.Tls.GeneratedCertificateDirectory} until issued"
            : $"  tls certificates: {string.Join(", ", certificates.Select(c => c.CertificateFile))}");
        if (AcmeChecks.Summary(configuration) is { } acme)
        {
            output.WriteLine(acme);
        }
        output.WriteLine($"  local domains: {string.Join(", ", configuration.Local.Domains)}");
        if (MapChecks.Summary(configuration) is { } tables)
        {
            output.WriteLine(tables);
        }
        var reporting = configuration.TlsReporting;
        output.WriteLine(reporting.Enabled
            ? $"  tls reporting: every {DurationSyntax.Format(reporting.Interval)} from {reporting.From}, counts in {reporting.Directory}"
            : "  tls reporting: off");
        foreach (var signer in dkim.Signers)
        {
            var entry = signer.Entry;
            output.WriteLine($"  dkim: {entry.Domain}{(entry.Subdomains ? " and subdomains" : "")}, {entry.Selector}._domainkey.{entry.Domain} ({signer.Key.Algorithm.SignatureTag()}, {signer.Key.Bits} bits, {entry.CanonicalizationTag}), key {entry.KeyFile}");
        }
        output.WriteLine($"{configuration.Source}: OK, {warningCount} warning{(warningCount == 1 ? "" : "s")}");
    }

    /// <summary>
    /// Loads configured certificates, keys, CAs and CRLs as `serve` would (a key that does not match
    /// its certificate is an error there); returns the warnings, or null after printing the error.
    /// A generated certificate is left for `serve` to make.
    /// </summary>
    private static IReadOnlyList<string>? CheckServerCertificates(PosternConfiguration configuration, TimeProvider clock, TextWriter errors)
    {
        var settings = configuration.Tls;
        var hostName = configuration.Server.HostName;
        if (settings.ServerCertificates.Count == 0 && settings.CaFile is null && settings.CaPath is null)
        {
            return [];
        }
        // Without configured server certificates, a throwaway generated one lets the CAs and CRLs be checked.
        var throwaway = settings.ServerCertificates.Count == 0;
        var checkedSettings = throwaway
            ? settings with { GeneratedCertificateDirectory = Path.Combine(Path.GetTempPath(), "postern-check-" + Guid.NewGuid().ToString("N")) }
            : settings;
        try
        {
            var (_, warnings) = TlsMaterialLoader.Load(checkedSettings, hostName, clock);
            return throwaway ? [] : warnings;
        }
        catch (TlsConfigurationException e)
        {
            errors.WriteLine(TlsErrorReport.Describe(configuration, e));
            return null;
        }
        finally
        {
            if (throwaway && Directory.Exists(checkedSettings.GeneratedCertificateDirectory))
            {
                Directory.Delete(checkedSettings.GeneratedCertificateDirectory, recursive: true);
            }
        }
    }

    /// <summary>
    /// The relay client's certificates (tls.client_cert/client_key, each route's client_cert/client_key)
    /// and delivery.verify_ca_file, loaded as delivery would.
    /// </summary>
    private static IReadOnlyList<string>? CheckClientCertificate(PosternConfiguration configuration, TimeProvider clock, TextWriter errors)
    {
        var routeCertificates = configuration.Relay.RouteCertificates();
        if (configuration.Tls.ClientCertificate is null && configuration.Relay.VerifyCaFile is null && routeCertificates.Count == 0)
        {
            return [];
        }
        try
        {
            using var context = new ClientTlsContext(configuration.Tls, configuration.Relay.VerifyCaFile, clock, routeCertificates);
            return context.Warnings;
        }
        catch (TlsConfigurationException e)
        {
            errors.WriteLine(TlsErrorReport.Describe(configuration, e));
            return null;
        }
    }
}
