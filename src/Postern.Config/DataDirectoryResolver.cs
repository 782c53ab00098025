namespace Postern.Config;

/// <summary>
/// Picks the data directory: <c>--data-dir</c>, else <c>server.data_dir</c> in the file, else
/// <c>$POSTERN_HOME</c>, else <c>./postern-data</c>. The flag beats the file so one file can serve
/// several instances; the file beats the environment because it is the more deliberate setting.
/// </summary>
internal static class DataDirectoryResolver
{
    public const string EnvironmentVariable = "POSTERN_HOME";

    public const string DefaultDirectoryName = "postern-data";

    /// <param name="commandLine">The <c>--data-dir</c> value; relative to the current directory.</param>
    /// <param name="fromFile">The file's <c>server.data_dir</c>; relative to the file's directory.</param>
    /// <param name="fileDirectory">The directory holding the configuration file.</param>
    /// <param name="environment">Reads environment variables.</param>
    /// <param name="currentDirectory">Base for the flag, the variable and the default.</param>
    public static string Resolve(
        string? commandLine,
        string? fromFile,
        string fileDirectory,
        Func<string, string?> environment,
        string currentDirectory)
    {
        if (!string.IsNullOrEmpty(commandLine))
        {
            return ConfigPaths.Resolve(commandLine, currentDirectory);
        }
        if (!string.IsNullOrEmpty(fromFile))
        {
            return ConfigPaths.Resolve(fromFile, fileDirectory);
        }
        var home = environment(EnvironmentVariable);
        return ConfigPaths.Resolve(string.IsNullOrEmpty(home) ? DefaultDirectoryName : home, currentDirectory);
    }
}
