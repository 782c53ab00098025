using System.Xml.Linq;
using Postern.Testing;

namespace Postern.Tests.Architecture;

/// <summary>
/// References point one way (DESIGN.md): Core &lt;- Protocol &lt;- {Server, Delivery, Filters};
/// Core &lt;- {Policy, Queue, Pki}; Core &lt;- Protocol &lt;- Milter; Config may use the libraries, Tools the libraries and Config;
/// Database uses Core and Policy; only the executable wires everything (the native sendmail entry
/// point, Submit, uses Config and Tools). Any other edge fails here.
/// </summary>
public sealed class ProjectReferenceTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Postern.Core"] = [],
        ["Postern.Protocol"] = ["Postern.Core"],
        ["Postern.Server"] = ["Postern.Core", "Postern.Protocol"],
        ["Postern.Delivery"] = ["Postern.Core", "Postern.Protocol"],
        ["Postern.Filters"] = ["Postern.Core", "Postern.Protocol"],
        ["Postern.Policy"] = ["Postern.Core"],
        ["Postern.Queue"] = ["Postern.Core"],
        ["Postern.Pki"] = ["Postern.Core"],
        ["Postern.Milter"] = ["Postern.Core", "Postern.Protocol"],
        ["Postern.Database"] = ["Postern.Core", "Postern.Policy"],
        ["Postern.Config"] = ["Postern.Core", "Postern.Protocol", "Postern.Server", "Postern.Policy", "Postern.Queue", "Postern.Delivery", "Postern.Pki", "Postern.Filters", "Postern.Database"],
        ["Postern.Tools"] = ["Postern.Core", "Postern.Protocol", "Postern.Server", "Postern.Policy", "Postern.Queue", "Postern.Delivery", "Postern.Pki", "Postern.Milter", "Postern.Filters", "Postern.Database", "Postern.Config"],
        ["Postern.Submit"] = ["Postern.Config", "Postern.Tools"],
        ["Postern"] = ["Postern.Core", "Postern.Protocol", "Postern.Server", "Postern.Policy", "Postern.Queue", "Postern.Delivery", "Postern.Pki", "Postern.Milter", "Postern.Filters", "Postern.Database", "Postern.Config", "Postern.Tools"],
    };

    [Fact]
    public void Every_source_project_references_only_what_the_design_allows()
    {
        var projects = Directory.GetFiles(Repository.PathOf("src"), "*.csproj", SearchOption.AllDirectories);
        Assert.NotEmpty(projects);
        foreach (var project in projects)
        {
            var name = Path.GetFileNameWithoutExtension(project);
            Assert.True(Allowed.TryGetValue(name, out var allowed), $"{name} is not in DESIGN.md's layout");
            var references = XDocument.Load(project).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value));
            foreach (var reference in references)
            {
                Assert.True(allowed.Contains(reference), $"{name} must not reference {reference}");
            }
        }
    }
}
