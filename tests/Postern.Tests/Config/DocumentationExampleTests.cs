using Postern.Testing;

namespace Postern.Tests.Config;

/// <summary>The example in docs/configuration.md must stay a valid file.</summary>
public sealed class DocumentationExampleTests
{
    [Fact]
    public void Complete_example_in_the_documentation_loads()
    {
        var docs = File.ReadAllText(Repository.PathOf("docs", "configuration.md"));
        const string Heading = "## A complete example";
        var section = docs[docs.IndexOf(Heading, StringComparison.Ordinal)..];
        var start = section.IndexOf("```toml\n", StringComparison.Ordinal) + "```toml\n".Length;
        var example = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];

        // The example names certificate files under /etc/postern that no test machine has.
        var result = ConfigTestInputs.Load(example, ConfigTestInputs.AllPathsExist());

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(4, result.Configuration.Server.Listeners.Count);
        Assert.Equal("/var/lib/postern/spool", result.Configuration.Queue.SpoolDirectory);
        Assert.Equal(["/etc/postern/server.pem", "/etc/postern/ecdsa.pem"], result.Configuration.Tls.ServerCertificates.Select(c => c.CertificateFile));
        Assert.Equal(5, result.Configuration.Tls.CipherSuites?.Count);
        Assert.Equal("[smtp.provider.example]:587", result.Configuration.Relay.SmartHost?.ToString());
        Assert.Equal(2, result.Configuration.Relay.Routes.Count);
        Assert.Equal(2, result.Configuration.RelayPolicy.RelayNetworks.Count);
        Assert.Equal(["e2026", "s2026"], result.Configuration.Dkim.Select(e => e.Selector));
    }
}
