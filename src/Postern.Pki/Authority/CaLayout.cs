namespace Postern.Pki.Authority;

/// <summary>The files of a local CA directory (default <c>DATA_DIR/ca</c>).</summary>
public sealed record CaLayout(string Directory)
{
    /// <summary>The directory name under the data directory.</summary>
    public const string DefaultDirectoryName = "ca";

    /// <summary>The CA certificate (PEM): what clients and servers trust (<c>tls.ca_file</c>).</summary>
    public string CertificateFile => Path.Combine(Directory, "ca.pem");

    /// <summary>The CA private key (PEM, 0600).</summary>
    public string KeyFile => Path.Combine(Directory, "ca.key");

    /// <summary>The next serial number, in hex (as openssl's <c>serial</c> file).</summary>
    public string SerialFile => Path.Combine(Directory, "serial");

    /// <summary>Every certificate issued, for <c>list</c>, <c>renew</c> and <c>export</c>.</summary>
    public string IndexFile => Path.Combine(Directory, "index.json");

    /// <summary>Held (flock) while the serial and index change, so two commands never issue the same serial.</summary>
    public string LockFile => Path.Combine(Directory, ".lock");

    /// <summary>Where issued certificates and keys go unless <c>--out</c> says otherwise.</summary>
    public string IssuedDirectory => Path.Combine(Directory, "issued");
}
