namespace Postern.Filters.Dkim;

/// <summary>How an algorithm is written: in the signature's a= tag, the key record's k= tag and the configuration.</summary>
public static class DkimAlgorithmNames
{
    /// <summary>The a= tag: <c>rsa-sha256</c> or <c>ed25519-sha256</c>.</summary>
    public static string SignatureTag(this DkimAlgorithm algorithm) => algorithm == DkimAlgorithm.Ed25519 ? "ed25519-sha256" : "rsa-sha256";

    /// <summary>The k= tag of the DNS record, also the configuration's word: <c>rsa</c> or <c>ed25519</c>.</summary>
    public static string KeyType(this DkimAlgorithm algorithm) => algorithm == DkimAlgorithm.Ed25519 ? "ed25519" : "rsa";

    /// <summary>Reads the configuration's and the command line's word.</summary>
    public static bool TryParse(string? text, out DkimAlgorithm algorithm)
    {
        switch (text)
        {
            case "rsa":
                algorithm = DkimAlgorithm.Rsa;
                return true;
            case "ed25519":
                algorithm = DkimAlgorithm.Ed25519;
                return true;
            default:
                algorithm = default;
                return false;
        }
    }
}
