using System.Globalization;

namespace Postern.EndToEnd.Fixtures.Milters;

/// <summary>
/// What the milter test classes share: the [[milter]] entry for a peer, and Postern started with
/// the user alice (made with the real <c>postern user add</c>) so submissions can authenticate.
/// </summary>
public static class MilteredPostern
{
    public const string User = "alice";

    public const string Password = "milter-Horse_42";

    /// <summary>A <c>[[milter]]</c> entry for <paramref name="daemon"/>; <paramref name="extra"/> is more keys (default_action, macros...).</summary>
    public static string MilterEntry(string name, ForegroundDaemon daemon, string extra = "") =>
        MilterEntry(name, daemon.SendmailSocket, extra);

    public static string MilterEntry(string name, string socket, string extra = "") =>
        $"[[milter]]\nname = \"{name}\"\nsocket = \"{socket}\"\n" + (extra.Length > 0 ? extra.TrimEnd('\n') + "\n" : "");

    /// <summary>The socket of a loopback port nothing listens on (yet).</summary>
    public static string ClosedSocket(int port) => "inet:" + port.ToString(CultureInfo.InvariantCulture) + "@127.0.0.1";

    /// <summary>Writes <paramref name="config"/>, adds <see cref="User"/>, starts `postern serve`.</summary>
    public static async Task<PosternProcess> StartAsync(string config, int listeners)
    {
        var dataDir = PosternProcess.NewDataDir();
        var configPath = Path.Combine(dataDir, "postern.toml");
        await File.WriteAllTextAsync(configPath, config);
        var (code, output) = await Binary.RunWithInputAsync(Password + "\n", "user", "add", User, "--config", configPath, "--data-dir", dataDir);
        Assert.True(code == 0, output);
        return await PosternProcess.StartAsync(null, dataDir, listeners);
    }

    /// <summary>Stops the server and removes its data directory.</summary>
    public static async Task StopAsync(PosternProcess? server)
    {
        if (server is not null)
        {
            await server.DisposeAsync();
            Directory.Delete(server.DataDir, recursive: true);
        }
    }
}
