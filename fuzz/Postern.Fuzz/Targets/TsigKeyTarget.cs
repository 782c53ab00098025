using Postern.Pki.Acme.Dns;

namespace Postern.Fuzz.Targets;

/// <summary>
/// acme.dns_tsig_key_file: BIND's key statement and the one-line ALGORITHM:NAME:SECRET form. A bad
/// file is a <see cref="TsigKeyFileException"/> naming the file and a line within it; a good one
/// gives a key with a supported algorithm, a valid name and a non-empty secret, and the key's
/// text never shows the secret.
/// </summary>
internal static class TsigKeyTarget
{
    private const string FileName = "acme.tsig";

    public static void Run(byte[] input)
    {
        TsigKey key;
        try
        {
            key = TsigKeyFile.Parse(input, FileName);
        }
        catch (TsigKeyFileException e)
        {
            var lines = 1 + input.Count(b => b == (byte)'\n');
            FuzzInvariantException.Require(e.File == FileName && e.Line >= 0 && e.Line <= lines, "an error names the file and a line in it");
            FuzzInvariantException.Require(e.Message.StartsWith(FileName + ":", StringComparison.Ordinal), "the message starts with file:line");
            return;
        }
        FuzzInvariantException.Require(TsigAlgorithm.Find(key.Algorithm.Name) == key.Algorithm, "a supported algorithm");
        FuzzInvariantException.Require(key.Secret.Length > 0, "a secret");
        FuzzInvariantException.Require(key.Name.Length > 0 && DnsName.CanonicalWire(key.Name).Length <= DnsName.MaxWireLength, "a name that fits the wire");
        FuzzInvariantException.Require(!key.ToString().Contains(Convert.ToBase64String(key.Secret), StringComparison.Ordinal), "the text hides the secret");
    }
}
