namespace Postern.EndToEnd;

/// <summary>What a newcomer gets from `./serve.sh`: the embedded default on its fixed loopback ports.</summary>
public sealed class EmbeddedDefaultTests
{
    [Fact]
    public async Task Swaks_delivers_with_starttls_on_2525_and_implicit_tls_on_2465()
    {
        var dataDir = PosternProcess.NewDataDir();
        var server = await PosternProcess.StartEmbeddedDefaultAsync(dataDir);
        try
        {
            Assert.Equal(2525, server.Mta.Port);
            Assert.Equal(2587, server.Msa.Port);
            Assert.Equal(2465, server.EndPoint("smtps").Port);
            var starttls = "default-" + Guid.NewGuid().ToString("N");
            var (code, output) = await ExternalCommand.RunAsync("swaks", "--tls", "--server", "127.0.0.1:2525", "--to", "user@localhost", "--header", "Subject: " + starttls);
            Assert.True(code == 0, output);
            var implicitTls = "default-" + Guid.NewGuid().ToString("N");
            (code, output) = await ExternalCommand.RunAsync("swaks", "--tlsc", "--server", "127.0.0.1:2465", "--to", "user@localhost", "--header", "Subject: " + implicitTls);
            Assert.True(code == 0, output);
            Assert.Contains("with ESMTPS id", await server.WaitForMailAsync("user", starttls), StringComparison.Ordinal);
            Assert.Contains("with ESMTPS id", await server.WaitForMailAsync("user", implicitTls), StringComparison.Ordinal);
            // The mta listener asks for a certificate; swaks sends none.
            await server.WaitForLogAsync(l => l.Contains("STARTTLS=server", StringComparison.Ordinal) && l.Contains("verify=NO,", StringComparison.Ordinal));
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
