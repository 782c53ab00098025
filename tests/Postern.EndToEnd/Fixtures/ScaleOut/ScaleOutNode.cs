using System.Globalization;
using System.Net;

namespace Postern.EndToEnd.Fixtures.ScaleOut;

/// <summary>
/// One Postern node of a cluster: its own data directory (spool, TLS cache) and configuration, its
/// listeners on loopback ports that stay the same across a kill -9 and restart (HAProxy's server
/// lines name them). The first start takes free ports (port 0) and reads them back from the log;
/// the configuration file is then written again with those ports, so a restart binds the same.
/// </summary>
public sealed class ScaleOutNode : IAsyncDisposable
{
    private readonly Func<string, string, string> _config;
    private PosternProcess _process;

    private ScaleOutNode(string name, string dataDir, Func<string, string, string> config, PosternProcess process)
    {
        Name = name;
        DataDir = dataDir;
        _config = config;
        _process = process;
    }

    /// <summary>"a" or "b": the node's name in HAProxy's backend and in its host name.</summary>
    public string Name { get; }

    public string DataDir { get; }

    public string ConfigPath => Path.Combine(DataDir, "postern.toml");

    /// <summary>The running process (a new one after <see cref="RestartAsync"/>).</summary>
    public PosternProcess Process => _process;

    /// <summary>The "mx" listener: PROXY protocol, only HAProxy may connect.</summary>
    public IPEndPoint Mx => _process.EndPoint("mx");

    /// <summary>The "submission" listener: no PROXY header, AUTH required; clients connect to it directly.</summary>
    public IPEndPoint Submission => _process.EndPoint("submission");

    /// <summary>Every mail-log line of this node, the killed processes' included.</summary>
    public string Log => string.Join('\n', [.. _earlierLogs, _process.Log]);

    private readonly List<string> _earlierLogs = [];

    /// <summary>
    /// Starts the node named <paramref name="name"/>; <paramref name="config"/> makes its postern.toml
    /// from the "mx" and "submission" listener addresses ("127.0.0.1:0" at the first start).
    /// </summary>
    public static async Task<ScaleOutNode> StartAsync(string name, Func<string, string, string> config)
    {
        var dataDir = PosternProcess.NewDataDir();
        var process = await PosternProcess.StartAsync(config("127.0.0.1:0", "127.0.0.1:0"), dataDir);
        var node = new ScaleOutNode(name, dataDir, config, process);
        await File.WriteAllTextAsync(node.ConfigPath, config(Address(node.Mx), Address(node.Submission)));
        return node;
    }

    /// <summary>kill -9: no chance to finish a session, a delivery or a journal write.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        Assert.True(await _process.WaitForExitAsync(TimeSpan.FromSeconds(10)), $"node {Name} survived SIGKILL");
    }

    /// <summary>Starts the node again on the same data directory, configuration and ports.</summary>
    public async Task RestartAsync()
    {
        Assert.True(_process.HasExited, $"node {Name} is still running");
        _earlierLogs.Add(_process.Log);
        await _process.DisposeAsync();
        _process = await PosternProcess.StartAsync(null, DataDir);
    }

    /// <summary>Runs a postern command with this node's configuration and data directory (bounded).</summary>
    public Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) =>
        Binary.RunAsync([.. arguments, "--config", ConfigPath, "--data-dir", DataDir]);

    /// <summary>As <see cref="RunAsync"/>, with <paramref name="input"/> on stdin (a password).</summary>
    public Task<(int ExitCode, string Output)> RunWithInputAsync(string input, params string[] arguments) =>
        Binary.RunWithInputAsync(input, [.. arguments, "--config", ConfigPath, "--data-dir", DataDir]);

    private static string Address(IPEndPoint endPoint) =>
        endPoint.Address + ":" + endPoint.Port.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(DataDir, recursive: true);
    }
}
