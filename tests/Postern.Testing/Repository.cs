namespace Postern.Testing;

/// <summary>The source checkout the tests run from, for reading its docs, scripts and build outputs.</summary>
public static class Repository
{
    /// <summary>The repository's root: the nearest directory above the test binaries that holds Postern.slnx.</summary>
    public static string Root { get; } = LocateRoot();

    /// <summary>A path under the repository's root.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string LocateRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Postern.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("cannot find the repository root (Postern.slnx) above " + AppContext.BaseDirectory);
    }
}
