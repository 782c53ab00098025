namespace Postern.Pki.Acme.Issuance;

/// <summary>
/// The files of &lt;data_dir&gt;/acme (0700), the one place ACME state lives; the daemon and the
/// CLI both read and write here, under <see cref="LockFile"/>.
/// </summary>
public sealed record AcmeLayout(string Directory)
{
    /// <summary>The account key: ECDSA P-256, PKCS#8 PEM, 0600. Made once; never replaced silently.</summary>
    public string AccountKeyFile => Path.Combine(Directory, "account.key");

    /// <summary>The account as the server knows it (JSON: directory, account URL, contact, created), 0600.</summary>
    public string AccountFile => Path.Combine(Directory, "account.json");

    /// <summary>The certificates' state (JSON: per key type expiry, serial, next renewal, last error, failures, ARI window), 0600.</summary>
    public string StateFile => Path.Combine(Directory, "state.json");

    /// <summary>Held (flock) while an order or a registration runs, by the daemon or the CLI.</summary>
    public string LockFile => Path.Combine(Directory, ".lock");

    /// <summary>Written by <c>postern cert acme renew</c> ("force" or "due") before it signals the daemon; the daemon removes it when it acts.</summary>
    public string RenewRequestFile => Path.Combine(Directory, "renew.request");

    /// <summary>Where live certificates are: one file per key type, private key + full chain (leaf first), 0600, replaced atomically.</summary>
    public string LiveDirectory => Path.Combine(Directory, "live");

    /// <summary>The live file of <paramref name="keyType"/>: live/ecdsa.pem or live/rsa.pem.</summary>
    public string LiveFile(AcmeKeyTypes keyType) => keyType switch
    {
        AcmeKeyTypes.Ecdsa => Path.Combine(LiveDirectory, "ecdsa.pem"),
        AcmeKeyTypes.Rsa => Path.Combine(LiveDirectory, "rsa.pem"),
        _ => throw new ArgumentOutOfRangeException(nameof(keyType), keyType, "one key type at a time"),
    };
}
