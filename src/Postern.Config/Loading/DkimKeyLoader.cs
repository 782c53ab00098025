using Postern.Filters.Dkim;

namespace Postern.Config.Loading;

/// <summary>
/// Reads the key of every <c>[[dkim]]</c> entry into the signing table, at start, at reload
/// (SIGHUP) and in <c>config check</c>. A key that cannot be used is an error at the line that
/// names it; a key file group or others may read is a warning.
/// </summary>
public static class DkimKeyLoader
{
    /// <summary>The table (empty without entries), or null after writing each error (<c>postern.toml:31:1: dkim[1].key: FILE: PROBLEM</c>).</summary>
    public static DkimSigningTable? TryLoad(PosternConfiguration configuration, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(errors);
        if (configuration.Dkim.Count == 0)
        {
            return DkimSigningTable.Empty;
        }
        var signers = new List<DkimSigner>();
        var warnings = new List<string>();
        var failed = false;
        foreach (var entry in configuration.Dkim)
        {
            var key = Read(configuration, entry, errors);
            if (key is null)
            {
                failed = true;
                continue;
            }
            signers.Add(new DkimSigner(entry, key));
            if (DkimKeyFile.PermissionWarning(entry.KeyFile) is { } exposed && !warnings.Contains(exposed))
            {
                warnings.Add(exposed);
            }
            if (key.Algorithm == DkimAlgorithm.Rsa && key.Bits < 2048)
            {
                warnings.Add($"the DKIM key {entry.KeyFile} ({entry.Selector}._domainkey.{entry.Domain}) has {key.Bits} bits; RFC 8301 asks for 2048 (postern dkim keygen makes one)");
            }
        }
        if (failed)
        {
            foreach (var signer in signers)
            {
                signer.Dispose();
            }
            return null;
        }
        return new DkimSigningTable(signers, warnings);
    }

    private static DkimPrivateKey? Read(PosternConfiguration configuration, DkimEntry entry, TextWriter errors)
    {
        string problem;
        try
        {
            var key = DkimKeyFile.Read(entry.KeyFile);
            if (entry.Algorithm is not { } wanted || wanted == key.Algorithm)
            {
                return key;
            }
            problem = $"algorithm = \"{wanted.KeyType()}\" but the file holds an {key.Algorithm.KeyType()} key; set algorithm = \"{key.Algorithm.KeyType()}\" or name the {wanted.KeyType()} key";
            key.Dispose();
        }
        catch (DkimKeyException e)
        {
            problem = e.Message;
        }
        errors.WriteLine(Describe(configuration, entry.KeyFile, entry.KeyFile + ": " + problem));
        return null;
    }

    private static string Describe(PosternConfiguration configuration, string file, string message) =>
        configuration.Files.TryFind(file, out var key, out var location)
            ? new ConfigError(configuration.Source, location.Line, location.Column, key, message).ToString()
            : "dkim: " + message;
}
