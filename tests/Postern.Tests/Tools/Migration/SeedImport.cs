using Postern.Tests.Delivery;
using Postern.Tools.Migration;

namespace Postern.Tests.Tools.Migration;

/// <summary>Runs import-mc on a seed snippet with the paths it names mapped under a temp root, where tests create the files.</summary>
internal sealed class SeedImport : IDisposable
{
    private readonly TempDirectory _directory = new();

    public string Root => _directory.Combine("root");

    public string Out => _directory.Combine("out");

    public string DataDirectory => _directory.Combine("data");

    public static string Seed(string name) => Path.Combine(AppContext.BaseDirectory, "Tools", "Migration", "Seeds", name);

    /// <summary>Where a path named in the .mc lives in this test.</summary>
    public string Map(string path) => Root + path;

    public (int ExitCode, string Toml, string Messages) Run(string seed, string? access = null, bool toDirectory = false)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var options = new McImportOptions(Seed(seed), access is null ? null : Seed(access), toDirectory ? Out : null, DataDirectory) { MapPath = Map };
        var exit = McImport.Run(options, output, errors);
        var toml = toDirectory && File.Exists(Path.Combine(Out, McImport.ConfigFileName)) ? File.ReadAllText(Path.Combine(Out, McImport.ConfigFileName)) : output.ToString();
        return (exit, toml, errors.ToString());
    }

    public void Dispose() => _directory.Dispose();
}
