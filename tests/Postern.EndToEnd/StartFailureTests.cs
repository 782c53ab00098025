using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Postern.EndToEnd;

/// <summary>
/// A daemon that cannot start says why in one line naming the setting and its line, with the
/// sysexits code, and no .NET stack trace.
/// </summary>
public sealed class StartFailureTests
{
    [Theory]
    [InlineData("server2.key", "does it match?")] // another certificate's key
    [InlineData("garbage.key", "no private key found")]
    public async Task A_bad_tls_key_is_one_line_at_the_key_and_line_that_named_it_and_exit_78(string keyFile, string says)
    {
        using var pki = new TestPki();
        await File.WriteAllTextAsync(pki["garbage.key"], "not a key\n");
        var dir = PosternProcess.NewDataDir();
        try
        {
            var config = Path.Combine(dir, "postern.toml");
            var text = PosternConfig.Host("localhost")
                .WithListener("mta", "mta", tls: "starttls")
                .WithLocal(["localhost"], ["user"])
                .WithServerTls(pki, serverKey: keyFile)
                .ToToml();
            await File.WriteAllTextAsync(config, text);
            var line = Array.FindIndex(text.Split('\n'), l => l.StartsWith("server_key", StringComparison.Ordinal)) + 1;

            var (exitCode, output) = await Binary.RunAsync("serve", "--config", config, "--data-dir", dir);

            Assert.Equal(78, exitCode);
            var only = Assert.Single(Lines(output));
            Assert.StartsWith($"{config}:{line.ToString(CultureInfo.InvariantCulture)}:1: tls.server_key: {pki[keyFile]}: ", only, StringComparison.Ordinal);
            Assert.Contains(says, only, StringComparison.Ordinal);
            Assert.EndsWith("; not started", only, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_listener_address_in_use_is_one_line_and_exit_71()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var dir = PosternProcess.NewDataDir();
        try
        {
            var config = Path.Combine(dir, "postern.toml");
            var text = PosternConfig.Host("localhost")
                .WithListener("mta", "mta")
                .WithLocal(["localhost"], ["user"])
                .ToToml()
                .Replace("127.0.0.1:0", "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            await File.WriteAllTextAsync(config, text);

            var (exitCode, output) = await Binary.RunAsync("serve", "--config", config, "--data-dir", dir);

            Assert.Equal(71, exitCode);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
            var last = Lines(output)[^1];
            Assert.StartsWith("postern: ", last, StringComparison.Ordinal);
            Assert.Contains("in use", last, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
