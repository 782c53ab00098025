using System.Diagnostics;
using Postern.Tests.Delivery;

namespace Postern.Tests.Packaging;

/// <summary>packaging/postern.service: the keys that make it safe, and systemd's own verdict when systemd-analyze is installed.</summary>
public sealed class SystemdUnitTests
{
    private static readonly string UnitFile = Path.Combine(AppContext.BaseDirectory, "packaging", "postern.service");

    private static readonly string[] AnalyzeLocations = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"];

    [Theory]
    [InlineData("Service", "User", "postern")]
    [InlineData("Service", "Type", "simple")]
    [InlineData("Service", "AmbientCapabilities", "CAP_NET_BIND_SERVICE")]
    [InlineData("Service", "CapabilityBoundingSet", "CAP_NET_BIND_SERVICE")]
    [InlineData("Service", "NoNewPrivileges", "true")]
    [InlineData("Service", "ProtectSystem", "strict")]
    [InlineData("Service", "ReadWritePaths", "/var/lib/postern")]
    [InlineData("Service", "PrivateTmp", "true")]
    [InlineData("Service", "ProtectHome", "true")]
    [InlineData("Service", "RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX")]
    [InlineData("Service", "SystemCallFilter", "@system-service")]
    [InlineData("Service", "ExecReload", "/bin/kill -HUP $MAINPID")]
    [InlineData("Service", "KillSignal", "SIGTERM")]
    [InlineData("Install", "WantedBy", "multi-user.target")]
    public void The_unit_sets(string section, string key, string value)
    {
        Assert.Contains(value, Values(Parse(), section, key));
    }

    [Fact]
    public void The_stop_timeout_leaves_room_for_the_shutdown_grace()
    {
        var timeout = Values(Parse(), "Service", "TimeoutStopSec").Single();
        var defaultGrace = new Postern.Server.Options.SmtpServerOptions { HostName = "x", Listeners = [] }.ShutdownGrace;

        Assert.True(TimeSpan.FromSeconds(int.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture)) > defaultGrace * 2);
    }

    [Fact]
    public void Every_line_is_a_section_a_key_or_a_comment()
    {
        var lines = File.ReadAllLines(UnitFile).Where(l => l.Length > 0 && l[0] != '#');

        Assert.All(lines, line => Assert.True(line.StartsWith('[') && line.EndsWith(']') || line.Contains('=', StringComparison.Ordinal), line));
    }

    [Fact]
    public async Task Systemd_analyze_verify_finds_nothing_wrong_when_installed()
    {
        var tool = AnalyzeLocations.FirstOrDefault(File.Exists);
        if (tool is null)
        {
            return; // not every CI image has systemd
        }
        using var directory = new TempDirectory();
        // verify checks that ExecStart programs exist; the postern binary is not installed here.
        var unit = directory.WriteFile("postern.service", File.ReadAllText(UnitFile).Replace("/usr/bin/postern", "/bin/true", StringComparison.Ordinal));
        using var process = Process.Start(new ProcessStartInfo(tool, ["verify", unit]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);

        // Complaints about the unit name it; a container without systemd may add unrelated noise.
        Assert.DoesNotContain("postern.service", await errors + await output, StringComparison.Ordinal);
    }

    private static Dictionary<(string Section, string Key), List<string>> Parse()
    {
        var values = new Dictionary<(string, string), List<string>>();
        var section = "";
        foreach (var raw in File.ReadAllLines(UnitFile))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }
            if (line[0] == '[')
            {
                section = line[1..^1];
                continue;
            }
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = (section, line[..equals]);
            if (!values.TryGetValue(key, out var list))
            {
                values[key] = list = [];
            }
            list.Add(line[(equals + 1)..]);
        }
        return values;
    }

    private static List<string> Values(Dictionary<(string Section, string Key), List<string>> unit, string section, string key) =>
        unit.TryGetValue((section, key), out var values) ? values : [];
}
