namespace Postern.Tests.Queue;

/// <summary>A fresh spool directory under the temp path, removed with everything in it at dispose.</summary>
internal sealed class TempSpoolDirectory : IDisposable
{
    public TempSpoolDirectory() =>
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "postern-spool-" + Guid.NewGuid().ToString("N"));

    public string Path { get; }

    public string Tmp => System.IO.Path.Combine(Path, "tmp");

    public string Queue => System.IO.Path.Combine(Path, "queue");

    public string Corrupt => System.IO.Path.Combine(Path, "corrupt");

    public static string[] Names(string directory) =>
        Directory.Exists(directory)
            ? [.. Directory.EnumerateFiles(directory).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!]
            : [];

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
