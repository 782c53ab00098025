using System.Net;

namespace Postern.Config;

/// <summary>
/// Loads <c>postern.toml</c> (or the embedded default) into a validated <see cref="PosternConfiguration"/>.
/// Bad input never throws: the result carries every error, each naming the file, line and key.
/// </summary>
public static class ConfigurationLoader
{
    /// <summary>The <see cref="PosternConfiguration.Source"/> when no file was given.</summary>
    public const string EmbeddedDefaultSource = "(embedded default)";

    /// <summary>The manifest resource name declared in Postern.csproj.</summary>
    public const string EmbeddedDefaultResource = "Postern.default.toml";

    /// <summary>
    /// Loads the file at <paramref name="path"/>, or the embedded default when it is null.
    /// </summary>
    /// <param name="path">The configuration file (<c>--config</c>), or null for the embedded default.</param>
    /// <param name="dataDirOverride">The <c>--data-dir</c> value, or null.</param>
    /// <param name="environment">Reads environment variables, e.g. <c>Environment.GetEnvironmentVariable</c>.</param>
    public static ConfigurationResult Load(string? path, string? dataDirOverride, Func<string, string?> environment) =>
        Load(path, dataDirOverride, environment, checkDaemonFiles: true);

    /// <summary>
    /// As <see cref="Load(string?, string?, Func{string, string?})"/>, but takes the files only the
    /// daemon reads (TLS material, relay secrets) as written without looking for them: for local
    /// submission and the queue listing, which any user runs and which never read those files.
    /// </summary>
    public static ConfigurationResult LoadForLocalUse(string? path, string? dataDirOverride, Func<string, string?> environment) =>
        Load(path, dataDirOverride, environment, checkDaemonFiles: false);

    private static ConfigurationResult Load(string? path, string? dataDirOverride, Func<string, string?> environment, bool checkDaemonFiles)
    {
        var currentDirectory = Environment.CurrentDirectory;
        if (path is null)
        {
            return LoadFromText(ReadEmbeddedDefault(), EmbeddedDefaultSource, Inputs(dataDirOverride, currentDirectory, environment, currentDirectory) with { CheckDaemonFiles = checkDaemonFiles });
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Failure(path, "configuration file not found");
        }
        catch (UnauthorizedAccessException)
        {
            return Failure(path, "cannot read the configuration file: permission denied");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return Failure(path, $"cannot read the configuration file: {e.Message}");
        }
        var fileDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? currentDirectory;
        return LoadFromText(text, path, Inputs(dataDirOverride, fileDirectory, environment, currentDirectory) with { CheckDaemonFiles = checkDaemonFiles });
    }

    /// <summary>
    /// Loads configuration text; <paramref name="sourceName"/> names it in errors. A relative
    /// <c>server.data_dir</c> is taken from the current directory.
    /// </summary>
    public static ConfigurationResult LoadFromText(string text, string sourceName, string? dataDirOverride, Func<string, string?> environment)
    {
        var currentDirectory = Environment.CurrentDirectory;
        return LoadFromText(text, sourceName, Inputs(dataDirOverride, currentDirectory, environment, currentDirectory));
    }

    /// <summary>Loads configuration text with every outside input given explicitly.</summary>
    public static ConfigurationResult LoadFromText(string text, string sourceName, ConfigurationInputs inputs)
    {
        var diagnostics = new ConfigDiagnostics(sourceName);
        var root = TomlDocumentParser.Parse(text, diagnostics);
        var configuration = root is null ? null : ConfigurationBinder.Bind(root, inputs);
        return configuration is null
            ? ConfigurationResult.Failure(diagnostics.ToList())
            : new ConfigurationResult(configuration, []);
    }

    /// <summary>The text of the embedded default configuration (Configuration/default.toml).</summary>
    public static string ReadEmbeddedDefault()
    {
        using var stream = typeof(ConfigurationLoader).Assembly.GetManifestResourceStream(EmbeddedDefaultResource)
            ?? throw new InvalidOperationException($"The resource {EmbeddedDefaultResource} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static ConfigurationInputs Inputs(string? dataDirOverride, string fileDirectory, Func<string, string?> environment, string currentDirectory) =>
        new(dataDirOverride, fileDirectory, environment, currentDirectory, Dns.GetHostName());

    private static ConfigurationResult Failure(string path, string message) =>
        ConfigurationResult.Failure([new ConfigError(path, 0, 0, "", message)]);
}
