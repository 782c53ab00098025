using Postern.Config;

namespace Postern.Tests.Config;

/// <summary>Fixed surroundings so tests do not depend on the machine running them.</summary>
internal static class ConfigTestInputs
{
    public const string FileDirectory = "/etc/postern";
    public const string CurrentDirectory = "/srv/work";
    public const string HostName = "mx.test.example";

    public static ConfigurationInputs Create(
        string? dataDirOverride = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        string hostName = HostName) =>
        new(
            dataDirOverride,
            FileDirectory,
            name => environment is not null && environment.TryGetValue(name, out var value) ? value : null,
            CurrentDirectory,
            hostName);

    /// <summary>Inputs under which every configured file and directory exists (for [tls] paths).</summary>
    public static ConfigurationInputs AllPathsExist(string? dataDirOverride = null) =>
        Create(dataDirOverride) with { FileExists = _ => true, DirectoryExists = _ => true };

    public static ConfigurationResult Load(string text, ConfigurationInputs? inputs = null) =>
        ConfigurationLoader.LoadFromText(text, "postern.toml", inputs ?? Create());

    /// <summary>A minimal valid file on lines 1-5 (5 blank); tests append from line 6.</summary>
    public const string OneListener = """
        [[listener]]
        name = "mta"
        address = "127.0.0.1:25"
        role = "mta"


        """;
}
