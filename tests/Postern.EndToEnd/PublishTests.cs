using System.Globalization;
using System.Reflection.PortableExecutable;

namespace Postern.EndToEnd;

/// <summary>
/// ./publish.sh, the build an administrator installs (packaging/README.md): it publishes,
/// Postern's assemblies in it are precompiled (ReadyToRun), and it serves mail when started
/// through a symlink, as /usr/bin/postern is installed.
/// </summary>
public sealed class PublishTests
{
    // A first publish restores the ReadyToRun and Native AOT compilers and compiles every assembly
    // and the native sendmail: ~3-5 min on a quiet machine, far more on a loaded one.
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(20);

    private static readonly string[] OwnAssemblies =
    [
        "postern.dll", "Postern.Core.dll", "Postern.Protocol.dll", "Postern.Server.dll",
        "Postern.Policy.dll", "Postern.Queue.dll", "Postern.Delivery.dll", "Postern.Pki.dll",
        "Postern.Config.dll", "Postern.Tools.dll",
    ];

    [Fact]
    public async Task Published_build_is_precompiled_and_delivers_when_run_through_a_symlink()
    {
        var output = PosternProcess.NewDataDir();
        var links = PosternProcess.NewDataDir();
        PosternProcess? server = null;
        try
        {
            var (code, log) = await ExternalCommand.RunAsync(Bound, "bash", Path.Combine(Repository.Root, "publish.sh"), output);
            Assert.True(code == 0, log);
            foreach (var assembly in OwnAssemblies)
            {
                Assert.True(IsReadyToRun(Path.Combine(output, assembly)), assembly + " in the published build is IL only");
            }
            // The sendmail entry point an installation links as /usr/sbin/sendmail, mailq and newaliases beside it.
            Assert.True(File.Exists(Path.Combine(output, "sendmail")), "no sendmail in the published build");
            Assert.Equal("sendmail", new FileInfo(Path.Combine(output, "mailq")).LinkTarget);
            Assert.Equal("sendmail", new FileInfo(Path.Combine(output, "newaliases")).LinkTarget);
            (code, log) = await ExternalCommand.RunAsync(Path.Combine(output, "sendmail"), "-d0.1", "-bv");
            Assert.True(code == 0 && log.Contains("Compiled with: ", StringComparison.Ordinal), log);
            // The tests' own build is IL only: the check tells the two apart.
            Assert.False(IsReadyToRun(Path.Combine(Path.GetDirectoryName(Binary.Path)!, "postern.dll")));

            var installed = Path.Combine(links, "postern");
            File.CreateSymbolicLink(installed, Path.Combine(output, "postern"));
            server = await PosternProcess.StartAsync(binary: installed);
            var token = "published-" + Guid.NewGuid().ToString("N");
            var port = server.Mta.Port.ToString(CultureInfo.InvariantCulture);
            (code, log) = await ExternalCommand.RunAsync("swaks", "--server", "127.0.0.1:" + port, "--to", "user@localhost", "--header", "Subject: " + token);
            Assert.True(code == 0, log);
            Assert.Contains(token, await server.WaitForMailAsync("user", token), StringComparison.Ordinal);
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
                Directory.Delete(server.DataDir, recursive: true);
            }
            Directory.Delete(output, recursive: true);
            Directory.Delete(links, recursive: true);
        }
    }

    /// <summary>A ReadyToRun image carries native code, found through the CLI header's managed native header.</summary>
    private static bool IsReadyToRun(string assembly)
    {
        using var reader = new PEReader(File.OpenRead(assembly));
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }
}
