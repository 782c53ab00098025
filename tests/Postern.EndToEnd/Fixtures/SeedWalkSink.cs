using System.Globalization;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// The one thing the walkthrough tests add to the doc's configurations: far-away.example routed
/// to a loopback <see cref="SmtpSink"/>, so a relayed message is seen arriving (the doc says so).
/// </summary>
public sealed class SeedWalkSink : IAsyncDisposable
{
    public const string Recipient = "friend@far-away.example";

    public SmtpSink Sink { get; } = new(SinkOptions.PlainNextHop);

    /// <summary>The doc's <paramref name="toml"/> with the listeners on free loopback ports and the route to the sink.</summary>
    public string Config(string toml) =>
        ReplaceAddresses(toml) + $"""

        [[route]]
        domain = "far-away.example"
        via = "[127.0.0.1]:{Sink.Port.ToString(CultureInfo.InvariantCulture)}"
        """;

    /// <summary>0.0.0.0:25, :465, :587 become free loopback ports.</summary>
    public static string ReplaceAddresses(string toml) => toml
        .Replace("\"0.0.0.0:25\"", "\"127.0.0.1:0\"", StringComparison.Ordinal)
        .Replace("\"0.0.0.0:465\"", "\"127.0.0.1:0\"", StringComparison.Ordinal)
        .Replace("\"0.0.0.0:587\"", "\"127.0.0.1:0\"", StringComparison.Ordinal);

    /// <summary>Waits (bounded) until the server logged the relay as sent and the sink has it.</summary>
    public async Task AssertRelayedAsync(PosternProcess server, string transcript)
    {
        await server.WaitForLogAsync(l => l.Contains("to=<" + Recipient + ">", StringComparison.Ordinal) && l.Contains("stat=Sent", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.True(Sink.Delivered.Any(d => d.Recipient == Recipient), transcript);
    }

    /// <summary>Maps the doc's mail.example.org ports onto the server's free loopback ports.</summary>
    public static void MapPort(SeedWalk walk, int documented, int actual)
    {
        var port = actual.ToString(CultureInfo.InvariantCulture);
        var doc = documented.ToString(CultureInfo.InvariantCulture);
        walk.Substitute("--server mail.example.org --port " + doc, "--server 127.0.0.1 --port " + port);
        walk.Substitute("-connect mail.example.org:" + doc, "-connect 127.0.0.1:" + port);
        walk.Substitute("postern check mail.example.org:" + doc, "postern check 127.0.0.1:" + port + " --servername mail.example.org");
    }

    public async ValueTask DisposeAsync() => await Sink.DisposeAsync();
}
