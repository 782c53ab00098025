using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Postern.EndToEnd.Fixtures.Acme;

/// <summary>
/// What the ACME tests do with a Postern: its configuration (mail.e2e.test with an "mta" listener
/// on STARTTLS and an "smtps" one on implicit TLS, no tls.server_cert, and an <c>[acme]</c> section
/// for the test's CA), waiting for the daemon's issuance lines, running <c>postern cert acme</c>
/// and <c>config check</c> against its files, reading its live certificate files and its metrics.
/// </summary>
public static partial class AcmePostern
{
    public const string HostName = "mail.e2e.test";

    /// <summary>
    /// The daemon's configuration; <paramref name="acmeExtra"/> is more <c>[acme]</c> keys, and the
    /// result takes more sections (<c>[tls]</c>, <c>[metrics]</c>) with <see cref="PosternConfig.WithSection"/>.
    /// </summary>
    public static PosternConfig Config(AcmeTestCa ca, string challenge = "http-01", string acmeExtra = "", string[]? domains = null, int? httpPort = null) =>
        PosternConfig.Host(HostName)
            .WithListener("mta", "mta", tls: "starttls")
            .WithListener("smtps", "msa", tls: "implicit")
            .WithLocal([HostName], ["user"])
            .WithSection(ca.AcmeSection(domains, challenge, acmeExtra, httpPort));

    /// <summary>
    /// Waits until the daemon has logged <paramref name="count"/> issuances of the
    /// <paramref name="keyType"/> certificate for the host name (first of its names), and returns
    /// the last such line.
    /// </summary>
    public static async Task<string> WaitForIssuedAsync(PosternProcess server, AcmeTestCa ca, string keyType = "ecdsa", int count = 1, TimeSpan? wait = null)
    {
        var marker = new Regex($@"acme: certificate for {Regex.Escape(HostName)}(, \S+)* \({keyType}\) issued by Pebble Intermediate CA ");
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline && !server.HasExited)
        {
            var lines = server.Log.Split('\n').Where(l => marker.IsMatch(l)).ToList();
            if (lines.Count >= count)
            {
                return lines[count - 1];
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no {count} x '{marker}'; postern log:\n{server.Log}\n{ca.Output}");
    }

    /// <summary>Runs <c>postern ARGUMENTS --config ... --data-dir ...</c> against the daemon's files (bounded).</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(PosternProcess server, params string[] arguments) =>
        RunAsync(server.ConfigPath!, server.DataDir, arguments);

    /// <summary>Runs <c>postern ARGUMENTS --config CONFIG --data-dir DATADIR</c> (bounded), with or without a daemon.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(string configPath, string dataDir, params string[] arguments) =>
        Binary.RunAsync([.. arguments, "--config", configPath, "--data-dir", dataDir]);

    /// <summary>&lt;data_dir&gt;/acme/live/KEYTYPE.pem: the private key and the chain, leaf first.</summary>
    public static string LiveFile(string dataDir, string keyType = "ecdsa") => Path.Combine(dataDir, "acme", "live", keyType + ".pem");

    /// <summary>The leaf of the live file (the first certificate in it).</summary>
    public static X509Certificate2 LiveLeaf(string dataDir, string keyType = "ecdsa") =>
        X509Certificate2.CreateFromPem(File.ReadAllText(LiveFile(dataDir, keyType)));

    /// <summary>Adds a <c>[metrics]</c> listener on a free loopback port; <see cref="ScrapeAsync"/> finds it from the log.</summary>
    public static PosternConfig WithMetrics(this PosternConfig config) => config.WithSection("[metrics]\nlisten = \"127.0.0.1:0\"");

    /// <summary>Scrapes the daemon's /metrics with curl.</summary>
    public static async Task<string> ScrapeAsync(PosternProcess server)
    {
        var line = await server.WaitForLogAsync(l => l.Contains("metrics listening on ", StringComparison.Ordinal));
        var (code, output) = await ExternalCommand.RunAsync("curl", "-sS", "--max-time", "10", MetricsAddress().Match(line).Groups["url"].Value + "metrics");
        return code == 0 ? output : throw new InvalidOperationException(output);
    }

    /// <summary>
    /// The value of the first series named <paramref name="series"/> (with its labels as written,
    /// <c>name{a="b"}</c>; a series without labels may be exported as <c>name{}</c>), or null.
    /// </summary>
    public static double? Metric(string text, string series)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal) || l.StartsWith(series + "{} ", StringComparison.Ordinal));
        series = line is not null && line.StartsWith(series + "{}", StringComparison.Ordinal) ? series + "{}" : series;
        return line is null ? null : double.Parse(line[(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"metrics listening on (?<url>\S+)")]
    private static partial Regex MetricsAddress();
}
