using Postern.Core.Maps;
using Postern.Tests.Policy.Maps;
using Postern.Tools.Access;

namespace Postern.Tests.Tools.Access;

/// <summary><c>postern access check</c> with the access map and relay domains in tables (an in-memory stand-in for the database).</summary>
public sealed class AccessCheckTableTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "postern-access-table-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly FakeTable _access = FakeTable.FromAccessFile("Connect:203.0.113.66\tREJECT\nTo:blocked.example\tREJECT\nClientConn:10.1\t3\n");
    private readonly FakeTable _relayDomains = new("pgsql:relay_domains", new Dictionary<string, string> { ["example.net"] = "" });

    public AccessCheckTableTests()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(ConfigFile, """
            [[listener]]
            name = "mta"
            address = "127.0.0.1:2525"
            role = "mta"

            [local]
            domains = ["example.org"]
            users = ["alice"]

            [policy]
            access_map = "pgsql:access"
            relay_domains = "pgsql:relay_domains"

            [database]
            connection = "Host=127.0.0.1;Port=1;Database=postern;Username=postern"
            """);
    }

    private string ConfigFile => Path.Combine(_directory, "postern.toml");

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        _output.Dispose();
        _error.Dispose();
    }

    private int Run(string client, string[] recipients, Func<MapReference, ILookupTable>? tables) =>
        AccessCheck.Run(
            new AccessCheckRequest(client, "a@example.net", recipients) { ConfigPath = ConfigFile, DataDirectory = _directory, Helo = "client.example" },
            _ => null,
            _output,
            _error,
            TimeProvider.System,
            tables);

    private ILookupTable Tables(MapReference map) => map.TableName switch
    {
        "access" => _access,
        "relay_domains" => _relayDomains,
        _ => throw new InvalidOperationException(map.ToString()),
    };

    [Fact]
    public void The_session_is_played_over_the_tables()
    {
        Assert.Equal(1, Run("10.1.2.3", ["alice@example.org", "b@example.net", "x@blocked.example"], Tables));

        var output = _output.ToString();
        Assert.Contains("access map: pgsql:access", output, StringComparison.Ordinal);
        Assert.Contains("concurrent 3 (ClientConn:10.1 3 at pgsql:access)", output, StringComparison.Ordinal);
        Assert.Contains("permit_relay_domains", output, StringComparison.Ordinal);
        Assert.Contains("=> REJECT 550 5.7.1 Access denied: check_recipient_access: pgsql:access To:blocked.example REJECT", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_that_cannot_answer_shows_the_451_at_the_stage()
    {
        _access.Down = true;

        Assert.Equal(1, Run("203.0.113.9", ["alice@example.org"], Tables));

        var output = _output.ToString();
        Assert.Contains("connection limits: unknown, the connection would be refused with 421 4.3.0 (pgsql:access: connection refused)", output, StringComparison.Ordinal);
        Assert.Contains("451 4.3.0 Temporary lookup failure", output, StringComparison.Ordinal);
    }

    [Fact]
    public void From_the_command_line_the_configured_database_answers_and_one_that_is_down_gives_4_3_0()
    {
        // Nothing listens on port 1: the connection is refused at once.
        Assert.Equal(1, Run("10.1.2.3", ["alice@example.org"], tables: null));

        var output = _output.ToString();
        Assert.Contains("connection limits: unknown, the connection would be refused with 421 4.3.0 (pgsql:access: ", output, StringComparison.Ordinal);
        Assert.Contains("451 4.3.0 Temporary lookup failure", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", output, StringComparison.OrdinalIgnoreCase);
    }
}
