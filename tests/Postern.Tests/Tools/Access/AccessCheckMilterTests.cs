using Postern.Tools.Access;

namespace Postern.Tests.Tools.Access;

/// <summary><c>postern access check</c> names the milters the listener's sessions run after the restrictions.</summary>
public sealed class AccessCheckMilterTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("postern-access-milters-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData("mx", "milters: opendkim (inet:8891@127.0.0.1, default_action=tempfail), spamass (unix:/run/spamass.sock, default_action=reject) from server.milters, after the restrictions; not contacted by this check")]
    [InlineData("submission", "milters: opendkim (inet:8891@127.0.0.1, default_action=tempfail) from listener submission's milters, after the restrictions; not contacted by this check")]
    [InlineData("internal", "milters: none (listener internal's milters); restrictions decide alone")]
    public void The_listeners_milters_are_listed(string listener, string line)
    {
        var config = Path.Combine(_directory.FullName, "postern.toml");
        File.WriteAllText(config, """
            [server]
            milters = ["opendkim", "spamass"]
            [[listener]]
            name = "mx"
            address = "127.0.0.1:2525"
            role = "mta"
            [[listener]]
            name = "submission"
            address = "127.0.0.1:2587"
            role = "msa"
            milters = ["opendkim"]
            [[listener]]
            name = "internal"
            address = "127.0.0.1:2526"
            role = "mta"
            milters = []
            [local]
            domains = ["example.org"]
            users = ["alice"]
            [[milter]]
            name = "opendkim"
            socket = "inet:8891@127.0.0.1"
            [[milter]]
            name = "spamass"
            socket = "unix:/run/spamass.sock"
            default_action = "reject"
            """);
        var output = new StringWriter();

        AccessCheck.Run(
            new AccessCheckRequest("192.0.2.1", "a@example.net", ["alice@example.org"]) { ConfigPath = config, DataDirectory = _directory.FullName, Listener = listener },
            _ => null,
            output,
            TextWriter.Null);

        Assert.Contains("\n" + line + "\n", output.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }
}
