namespace Postern.Config;

/// <summary>What a load depends on besides the text: the command line and the process's surroundings.</summary>
/// <param name="DataDirectoryOverride">The <c>--data-dir</c> value, or null.</param>
/// <param name="FileDirectory">Base for a relative <c>server.data_dir</c>: the file's directory.</param>
/// <param name="Environment">Reads environment variables (<c>POSTERN_HOME</c>).</param>
/// <param name="CurrentDirectory">Base for <c>--data-dir</c>, <c>POSTERN_HOME</c> and the default.</param>
/// <param name="MachineHostName">The default for <c>server.hostname</c>.</param>
public sealed record ConfigurationInputs(
    string? DataDirectoryOverride,
    string FileDirectory,
    Func<string, string?> Environment,
    string CurrentDirectory,
    string MachineHostName)
{
    /// <summary>Whether a configured file exists (<c>tls.*</c> certificates, CAs, CRLs); tests replace it.</summary>
    public Func<string, bool> FileExists { get; init; } = File.Exists;

    /// <summary>Whether a configured directory exists (<c>tls.ca_path</c>, <c>tls.crl_path</c>).</summary>
    public Func<string, bool> DirectoryExists { get; init; } = Directory.Exists;

    /// <summary>
    /// Whether the files only the daemon reads (<c>tls.*</c>, <c>delivery.auth_file</c>,
    /// <c>delivery.verify_ca_file</c>) must exist. Local submission and the queue listing run as any
    /// user and never read them, and they may sit in a directory only root can enter: those
    /// commands load with false, which takes the paths as written.
    /// </summary>
    public bool CheckDaemonFiles { get; init; } = true;
}
