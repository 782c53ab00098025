using Postern.Config;
using Postern.Filters.Dkim;

namespace Postern.Tools.Dkim;

/// <summary>
/// <c>postern dkim keygen</c> and <c>postern dkim show</c>: make a signing key and print the DNS
/// record that publishes it (opendkim-genkey's job), or print the record again from a key file.
/// The record goes to standard output, ready to append to a zone file; notes go to standard error.
/// </summary>
public static class DkimKeyTool
{
    public const int DefaultBits = 2048;

    /// <param name="domain">The signing domain (d=).</param>
    /// <param name="selector">The selector (s=).</param>
    /// <param name="algorithm"><c>rsa</c> or <c>ed25519</c>.</param>
    /// <param name="bits">The RSA key size; null: 2048. Not for Ed25519, whose size is fixed.</param>
    /// <param name="outFile">Where the private key goes; never overwritten.</param>
    /// <param name="output">Gets the DNS record.</param>
    /// <param name="error">Gets the notes and the error line.</param>
    public static int KeyGen(string domain, string selector, string algorithm, int? bits, string outFile, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (Names(domain, selector) is { } problem)
        {
            return Fail(error, "keygen", problem, ExitCodes.Usage);
        }
        if (!DkimAlgorithmNames.TryParse(algorithm, out var kind))
        {
            return Fail(error, "keygen", $"--algorithm must be rsa or ed25519, not \"{algorithm}\"", ExitCodes.Usage);
        }
        if (kind == DkimAlgorithm.Ed25519 && bits is not null)
        {
            return Fail(error, "keygen", "--bits is for rsa keys; an ed25519 key is always 256 bits", ExitCodes.Usage);
        }
        var size = bits ?? DefaultBits;
        if (kind == DkimAlgorithm.Rsa && size is < DkimPrivateKey.MinimumRsaBits or > 4096)
        {
            return Fail(error, "keygen", $"--bits must be {DkimPrivateKey.MinimumRsaBits} to 4096 (2048 is what RFC 8301 asks for), not {size}", ExitCodes.Usage);
        }
        if (string.IsNullOrWhiteSpace(outFile))
        {
            return Fail(error, "keygen", "--out needs a file name", ExitCodes.Usage);
        }
        var path = Path.GetFullPath(outFile);
        if (File.Exists(path))
        {
            return Fail(error, "keygen", $"{path} exists; not overwritten (remove it, or choose another --out)", ExitCodes.CannotCreate);
        }
        using var key = DkimPrivateKey.Generate(kind, size);
        try
        {
            DkimKeyFile.Write(path, key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(error, "keygen", $"cannot write {path}: {e.Message}", ExitCodes.CannotCreate);
        }
        output.Write(DkimDnsRecord.ZoneEntry(domain.TrimEnd('.').ToLowerInvariant(), selector, key));
        error.WriteLine($"postern dkim keygen: wrote the {kind.KeyType()} key to {path} (mode 0600); publish the record above, then add to postern.toml:");
        error.WriteLine($"  [[dkim]]\n  domain = \"{domain.TrimEnd('.').ToLowerInvariant()}\"\n  selector = \"{selector}\"\n  key = \"{path}\"");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Prints the record for the key in <paramref name="keyFile"/>: under SELECTOR._domainkey.DOMAIN
    /// when both are given, else under the names of the <c>[[dkim]]</c> entries of
    /// <paramref name="configuration"/> that use the file, else under placeholders.
    /// </summary>
    public static int Show(string keyFile, string? domain, string? selector, PosternConfiguration? configuration, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(keyFile);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if ((domain is null) != (selector is null))
        {
            return Fail(error, "show", "give both --domain and --selector, or neither", ExitCodes.Usage);
        }
        if (domain is not null && Names(domain, selector!) is { } problem)
        {
            return Fail(error, "show", problem, ExitCodes.Usage);
        }
        var path = Path.GetFullPath(keyFile);
        DkimPrivateKey key;
        try
        {
            key = DkimKeyFile.Read(path);
        }
        catch (DkimKeyException e)
        {
            var unreadable = e.InnerException is IOException or UnauthorizedAccessException;
            return Fail(error, "show", path + ": " + e.Message, unreadable ? ExitCodes.NoInput : ExitCodes.DataError);
        }
        using (key)
        {
            var names = domain is not null
                ? [(domain.TrimEnd('.').ToLowerInvariant(), selector!)]
                : (configuration?.Dkim ?? []).Where(e => e.KeyFile == path).Select(e => (e.Domain, e.Selector)).ToList();
            if (names.Count == 0)
            {
                error.WriteLine($"postern dkim show: no [[dkim]] entry uses {path}; give --domain and --selector for the record's name");
                names = [("DOMAIN", "SELECTOR")];
            }
            foreach (var (recordDomain, recordSelector) in names)
            {
                output.Write(DkimDnsRecord.ZoneEntry(recordDomain, recordSelector, key));
            }
        }
        return ExitCodes.Ok;
    }

    private static string? Names(string domain, string selector)
    {
        if (string.IsNullOrEmpty(domain) || !HostNameSyntax.IsValid(domain.TrimEnd('.')))
        {
            return $"--domain must be a domain name (example.com), not \"{domain}\"";
        }
        if (string.IsNullOrEmpty(selector) || !HostNameSyntax.IsValid(selector))
        {
            return $"--selector must be letters, digits, hyphens and dots (s2026), not \"{selector}\"";
        }
        return null;
    }

    private static int Fail(TextWriter error, string verb, string message, int code)
    {
        error.WriteLine($"postern dkim {verb}: {message}");
        return code;
    }
}
