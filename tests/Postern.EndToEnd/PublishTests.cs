using System.Globalization;

namespace Postern.EndToEnd;

/// <summary>
/// ./publish.sh, the build an administrator installs (packaging/README.md): `postern` is one Native
/// AOT executable that runs without the .NET runtime, `sendmail` with `mailq` and `newaliases`
/// beside it, and the daemon serves mail when started through a symlink, as /usr/bin/postern is
/// installed. When test.sh has published already (POSTERN_BINARY), its output is the build checked;
/// else the test publishes one of its own.
/// </summary>
public sealed class PublishTests
{
    // A first publish restores the Native AOT compiler and compiles the daemon and the native
    // sendmail: ~3-5 min on a quiet machine, far more on a loaded one.
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(20);

    [Fact]
    public async Task Published_build_is_native_and_delivers_when_run_through_a_symlink()
    {
        var own = Binary.IsPublished ? null : PosternProcess.NewDataDir();
        var links = PosternProcess.NewDataDir();
        PosternProcess? server = null;
        try
        {
            if (own is not null)
            {
                var (published, publishLog) = await ExternalCommand.RunAsync(Bound, "bash", Path.Combine(Repository.Root, "publish.sh"), own);
                Assert.True(published == 0, publishLog);
            }
            var output = own ?? Path.GetDirectoryName(Binary.Path)!;

            // Native code only: no IL assembly nor runtime configuration for a runtime to load.
            Assert.True(IsElfExecutable(Path.Combine(output, "postern")), "postern in the published build is not an ELF executable");
            Assert.Empty(Directory.GetFiles(output, "*.dll"));
            Assert.Empty(Directory.GetFiles(output, "*.runtimeconfig.json"));
            // The sendmail entry point an installation links as /usr/sbin/sendmail, mailq and newaliases beside it.
            Assert.True(IsElfExecutable(Path.Combine(output, "sendmail")), "no native sendmail in the published build");
            Assert.Equal("sendmail", new FileInfo(Path.Combine(output, "mailq")).LinkTarget);
            Assert.Equal("sendmail", new FileInfo(Path.Combine(output, "newaliases")).LinkTarget);
            var (code, log) = await ExternalCommand.RunAsync(Path.Combine(output, "sendmail"), "-d0.1", "-bv");
            Assert.True(code == 0 && log.Contains("Compiled with: ", StringComparison.Ordinal), log);

            var installed = Path.Combine(links, "postern");
            File.CreateSymbolicLink(installed, Path.Combine(output, "postern"));
            server = await PosternProcess.StartAsync(binary: installed);
            // The running daemon maps neither the .NET runtime nor its JIT.
            var maps = await File.ReadAllTextAsync($"/proc/{server.ProcessId}/maps");
            Assert.DoesNotContain("libcoreclr.so", maps, StringComparison.Ordinal);
            Assert.DoesNotContain("libclrjit.so", maps, StringComparison.Ordinal);
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
            if (own is not null)
            {
                Directory.Delete(own, recursive: true);
            }
            Directory.Delete(links, recursive: true);
        }
    }

    private static bool IsElfExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        Span<byte> magic = stackalloc byte[4];
        using var file = File.OpenRead(path);
        return file.Read(magic) == 4 && magic.SequenceEqual("\u007fELF"u8)
            && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;
    }
}
