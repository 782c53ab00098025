using Postern.Testing;
using Postern.Tests.Config;

namespace Postern.Tests.Documentation;

/// <summary>docs/scale-out.md's node configuration loads, for both nodes, as the page says to write them.</summary>
public sealed class ScaleOutExampleTests
{
    [Theory]
    [InlineData("mx1", "10.0.0.11")]
    [InlineData("mx2", "10.0.0.12")]
    public void The_node_configuration_in_the_scale_out_page_loads(string node, string address)
    {
        var docs = File.ReadAllText(Repository.PathOf("docs", "scale-out.md"));
        var section = docs[docs.IndexOf("### 4. Each node's `postern.toml`", StringComparison.Ordinal)..];
        var start = section.IndexOf("```toml\n", StringComparison.Ordinal) + "```toml\n".Length;
        // mx2's differs in hostname and the listener addresses only.
        var example = section[start..section.IndexOf("```", start, StringComparison.Ordinal)]
            .Replace("mx1.example.com", node + ".example.com", StringComparison.Ordinal)
            .Replace("10.0.0.11:", address + ":", StringComparison.Ordinal);

        // The example names certificate files under /etc/postern that no test machine has.
        var result = ConfigTestInputs.Load(example, ConfigTestInputs.AllPathsExist());

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(node + ".example.com", result.Configuration.Server.HostName);
        Assert.Equal(2, result.Configuration.Server.Listeners.Count);
        Assert.NotNull(result.Configuration.Database);
        Assert.Contains("Host=10.0.0.20", result.Configuration.Database.Connection, StringComparison.Ordinal);
        Assert.Equal(["example.com"], result.Configuration.Virtual.Domains);
    }
}
