using System.Text;

namespace Postern.Pki.Acme.Dns;

/// <summary>
/// Reads <c>acme.dns_tsig_key_file</c>. Two forms are taken: BIND's, as <c>tsig-keygen</c> and
/// <c>ddns-confgen</c> write it (<c>key "NAME" { algorithm hmac-sha256; secret "BASE64"; };</c>,
/// with #, // and /* */ comments), and the one line <c>ALGORITHM:NAME:SECRET</c> that
/// <c>knsupdate -y</c> and <c>keymgr -t</c> print. The file holds exactly one key.
/// </summary>
public static class TsigKeyFile
{
    /// <summary>Key files are a few lines; anything bigger is not one.</summary>
    public const int MaxLength = 64 * 1024;

    /// <exception cref="TsigKeyFileException">The file is unreadable or not a key, with its file:line.</exception>
    public static TsigKey Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxLength)
            {
                throw new TsigKeyFileException(path, 0, $"larger than {MaxLength / 1024} KiB: not a TSIG key file");
            }
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TsigKeyFileException(path, 0, e.Message);
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses the contents of a key file; <paramref name="file"/> names it in errors.</summary>
    public static TsigKey Parse(ReadOnlySpan<byte> contents, string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (contents.Length > MaxLength)
        {
            throw new TsigKeyFileException(file, 0, $"larger than {MaxLength / 1024} KiB: not a TSIG key file");
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(contents);
        }
        catch (DecoderFallbackException)
        {
            throw new TsigKeyFileException(file, 1, "not UTF-8 text: not a TSIG key file");
        }
        var tokens = TsigKeyFileTokenizer.Tokenize(text, file);
        if (tokens.Count == 0)
        {
            throw new TsigKeyFileException(file, 1, "no key in the file (expected key \"NAME\" { algorithm ...; secret \"...\"; }; or ALGORITHM:NAME:SECRET)");
        }
        return tokens[0].Text == "key" && !tokens[0].Quoted
            ? BindKey.Parse(tokens, file)
            : OneLine(tokens, file);
    }

    private static TsigKey OneLine(IReadOnlyList<TsigKeyFileTokenizer.Token> tokens, string file)
    {
        var first = tokens[0];
        if (tokens.Count > 1)
        {
            throw new TsigKeyFileException(file, tokens[1].Line, "more than one ALGORITHM:NAME:SECRET line");
        }
        var parts = first.Text.Split(':');
        if (parts.Length != 3)
        {
            throw new TsigKeyFileException(file, first.Line, "expected key \"NAME\" { ... }; or one line ALGORITHM:NAME:SECRET");
        }
        return Build(parts[0], parts[1], parts[2], file, first.Line, first.Line, first.Line);
    }

    /// <summary>The key from its three parts, each checked; the lines say where each part was.</summary>
    internal static TsigKey Build(string algorithm, string name, string secret, string file, int algorithmLine, int nameLine, int secretLine)
    {
        var found = TsigAlgorithm.Find(algorithm)
            ?? throw new TsigKeyFileException(file, algorithmLine, $"unsupported TSIG algorithm '{algorithm}' (use one of {TsigAlgorithm.Supported})");
        try
        {
            _ = DnsName.Labels(name);
        }
        catch (ArgumentException e)
        {
            throw new TsigKeyFileException(file, nameLine, "the key name " + e.Message);
        }
        if (name.Length == 0 || name == ".")
        {
            throw new TsigKeyFileException(file, nameLine, "the key has no name");
        }
        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(secret);
        }
        catch (FormatException)
        {
            throw new TsigKeyFileException(file, secretLine, "the secret is not base64");
        }
        return decoded.Length == 0
            ? throw new TsigKeyFileException(file, secretLine, "the secret is empty")
            : new TsigKey(name, found, decoded);
    }
}
