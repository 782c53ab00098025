namespace Postern.Tools.Migration;

/// <summary>What <c>postern config import-mc</c> was asked to do.</summary>
/// <param name="McFile">The sendmail.mc to read.</param>
/// <param name="AccessFile">The access map text (<c>--access</c>), or null.</param>
/// <param name="OutDirectory">Where postern.toml (and the access map) go (<c>--out</c>); null prints the TOML.</param>
/// <param name="DataDirectory">The <c>server.data_dir</c> written into the configuration.</param>
public sealed record McImportOptions(string McFile, string? AccessFile, string? OutDirectory, string DataDirectory)
{
    public const string DefaultDataDirectory = "/var/lib/postern";

    /// <summary>Maps a path named in the .mc to this machine (a copied /etc under another root in tests); identity by default.</summary>
    public Func<string, string> MapPath { get; init; } = static path => path;
}
