using Postern.Config.Check;
using Postern.Delivery.Relay;
using Postern.Delivery.Routing;
using Postern.Tests.Delivery;

namespace Postern.Tests.Config.Lint;

/// <summary>Runs `postern config check` on a file in a temp directory (also the data directory) and keeps what it printed.</summary>
internal sealed class ConfigCheckRun : IDisposable
{
    private readonly TempDirectory _directory = new();

    public string Path => _directory.Path;

    public string Combine(params string[] parts) => _directory.Combine(parts);

    public string WriteFile(string name, string content) => _directory.WriteFile(name, content);

    /// <summary>
    /// The DNSSEC probe answers "validates" unless a test passes another: these tests are about the
    /// file, not this machine's resolver (DnssecCheckTests probe a fake resolver for real).
    /// </summary>
    public static Task<DnssecProbeResult> ValidatingResolver(RelayOptions relay, CancellationToken cancellationToken) =>
        Task.FromResult(DnssecProbeResult.Validating);

    /// <summary>The file is <paramref name="body"/> after a [server] section naming this directory as data_dir; listeners come from the body or one default mta.</summary>
    public (int ExitCode, string Output, string Errors) Check(string body, bool addListener = true, DnssecProbeRunner? dnssecProbe = null)
    {
        var text = "[server]\nhostname = \"" + PemFiles.Host + "\"\ndata_dir = \"" + Path + "\"\n\n" + body
            + (addListener ? "\n[[listener]]\nname = \"mta\"\naddress = \"127.0.0.1:2525\"\nrole = \"mta\"\ntls = \"starttls\"\n" : "");
        return CheckFile(WriteFile("postern.toml", text), dnssecProbe: dnssecProbe);
    }

    public static (int ExitCode, string Output, string Errors) CheckFile(string? path, string? dataDir = null, DnssecProbeRunner? dnssecProbe = null)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = ConfigCheck.Run(path, dataDir, output, errors, TimeProvider.System, dnssecProbe ?? ValidatingResolver);
        return (exit, output.ToString(), errors.ToString());
    }

    public void Dispose() => _directory.Dispose();
}
