namespace Postern.Pki.Authority;

/// <summary>The command-line and index names of <see cref="KeyAlgorithm"/>: <c>ecdsa-p256</c>, <c>rsa-3072</c>.</summary>
public static class KeyAlgorithmNames
{
    public const string EcdsaP256 = "ecdsa-p256";
    public const string Rsa3072 = "rsa-3072";

    public static IReadOnlyList<string> All { get; } = [EcdsaP256, Rsa3072];

    public static string Name(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => EcdsaP256,
        KeyAlgorithm.Rsa3072 => Rsa3072,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    public static bool TryParse(string? text, out KeyAlgorithm algorithm)
    {
        switch (text?.ToLowerInvariant())
        {
            case EcdsaP256 or "ecdsa" or "p256" or "ec":
                algorithm = KeyAlgorithm.EcdsaP256;
                return true;
            case Rsa3072 or "rsa":
                algorithm = KeyAlgorithm.Rsa3072;
                return true;
            default:
                algorithm = default;
                return false;
        }
    }
}
