namespace Postern.Tests.Dialogs;

/// <summary>Every <c>Dialogs/*.dialog</c> script, one test case each, named after its file.</summary>
public sealed class DialogScriptTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Dialogs");

    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Folder, "*.dialog").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }
        return data;
    }

    [Fact]
    public void There_are_at_least_twenty_scripts() => Assert.True(Scripts().Count >= 20);

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Script_runs_as_written(string file)
    {
        var script = DialogScript.Load(Path.Combine(Folder, file));
        Assert.NotEmpty(script.Steps);
        await using var session = DialogSetup.Start(script);
        await new DialogRunner(session).RunAsync(script);
    }
}
