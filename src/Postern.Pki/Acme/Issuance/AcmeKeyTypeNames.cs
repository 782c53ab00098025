namespace Postern.Pki.Acme.Issuance;

/// <summary>The words for key types in files, logs, metrics labels and the CLI: ecdsa, rsa.</summary>
public static class AcmeKeyTypeNames
{
    public static string Name(AcmeKeyTypes keyType) => keyType switch
    {
        AcmeKeyTypes.Ecdsa => "ecdsa",
        AcmeKeyTypes.Rsa => "rsa",
        _ => throw new ArgumentOutOfRangeException(nameof(keyType), keyType, "one key type at a time"),
    };

    /// <summary>Each single key type in <paramref name="keyTypes"/>, ECDSA first (the first is the default certificate).</summary>
    public static IReadOnlyList<AcmeKeyTypes> Each(AcmeKeyTypes keyTypes) =>
        [.. new[] { AcmeKeyTypes.Ecdsa, AcmeKeyTypes.Rsa }.Where(k => keyTypes.HasFlag(k))];
}
