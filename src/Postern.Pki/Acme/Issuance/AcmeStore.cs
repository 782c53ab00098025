using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Postern.Core.IO;
using Postern.Pki.Acme.Protocol;
using Postern.Pki.Authority;

namespace Postern.Pki.Acme.Issuance;

/// <summary>
/// The files of <see cref="AcmeLayout"/>: the account key and record, state.json, the live
/// certificates, the lock and the renew request. Every read is size-capped, every write atomic.
/// </summary>
public sealed class AcmeStore(AcmeLayout layout)
{
    /// <summary>account.json and state.json are small; anything bigger is not ours.</summary>
    private const int MaxJsonBytes = 64 * 1024;

    /// <summary>A key and a chain of a few certificates; the protocol caps downloads at 1 MiB too.</summary>
    private const int MaxLiveBytes = 1024 * 1024;

    public AcmeLayout Layout { get; } = layout;

    /// <summary>Creates the directory and live/ (0700) when missing.</summary>
    public void EnsureDirectories()
    {
        SecureFile.EnsureDirectory(Layout.Directory, SecureFile.PrivateDirectoryMode);
        SecureFile.EnsureDirectory(Layout.LiveDirectory, SecureFile.PrivateDirectoryMode);
    }

    /// <summary>
    /// Takes the lock every order and registration holds (flock; released when disposed). Another
    /// process holding it is an <see cref="IOException"/> saying so: the caller tries again later.
    /// </summary>
    public IDisposable Lock()
    {
        EnsureDirectories();
        try
        {
            return new FileStream(Layout.LockFile, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                UnixCreateMode = SecureFile.PrivateMode,
            });
        }
        catch (IOException e)
        {
            throw new IOException($"{Layout.LockFile}: another postern process (the daemon or a `postern cert acme` command) is ordering or registering: {e.Message}", e);
        }
    }

    /// <summary>The account key, made (ECDSA P-256, PKCS#8 PEM, 0600) when there is none.</summary>
    /// <exception cref="AcmeException">It cannot be read, is not a key, or cannot be written.</exception>
    public AcmeAccountKey LoadOrCreateAccountKey()
    {
        EnsureDirectories();
        return AcmeAccountKeyFile.LoadOrCreate(Layout.AccountKeyFile, out _);
    }

    /// <summary>Whether the account key exists (status reports without creating one).</summary>
    public bool HasAccountKey => File.Exists(Layout.AccountKeyFile);

    public AcmeAccountRecord? LoadAccount() =>
        ReadJson(Layout.AccountFile) is { } json ? Deserialize(json, Layout.AccountFile, AcmeStateJsonContext.Default.AcmeAccountRecord) : null;

    public void SaveAccount(AcmeAccountRecord account)
    {
        EnsureDirectories();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(account, AcmeStateJsonContext.Default.AcmeAccountRecord);
        DurableFile.Replace(Layout.AccountFile, Layout.AccountFile + ".tmp", bytes);
    }

    /// <summary>state.json, or an empty state when there is none yet.</summary>
    /// <exception cref="IOException">It cannot be read or is not a state file (the message names it).</exception>
    public AcmeState LoadState() =>
        ReadJson(Layout.StateFile) is { } json ? Deserialize(json, Layout.StateFile, AcmeStateJsonContext.Default.AcmeState) : new AcmeState();

    public void SaveState(AcmeState state)
    {
        EnsureDirectories();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(state, AcmeStateJsonContext.Default.AcmeState);
        DurableFile.Replace(Layout.StateFile, Layout.StateFile + ".tmp", bytes);
    }

    /// <summary>
    /// Replaces the live file of <paramref name="keyType"/>: the private key, then the chain (leaf
    /// first), in one file, so a reload never pairs a new certificate with an old key.
    /// </summary>
    public void WriteLive(AcmeKeyTypes keyType, AsymmetricAlgorithm key, string chainPem)
    {
        EnsureDirectories();
        var content = new StringBuilder()
            .Append(key.ExportPkcs8PrivateKeyPem()).Append('\n')
            .Append(chainPem.Trim()).Append('\n')
            .ToString();
        var path = Layout.LiveFile(keyType);
        DurableFile.Replace(path, path + ".tmp", Encoding.ASCII.GetBytes(content));
    }

    /// <summary>The live certificate (leaf) of <paramref name="keyType"/>, or null when there is none or it does not parse.</summary>
    public X509Certificate2? ReadLiveLeaf(AcmeKeyTypes keyType)
    {
        var path = Layout.LiveFile(keyType);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var pem = ReadBounded(path, MaxLiveBytes);
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPem(pem);
            return certificates.Count == 0 ? null : certificates[0];
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Written by <c>postern cert acme renew</c> before it signals the daemon.</summary>
    public void WriteRenewRequest(bool force)
    {
        EnsureDirectories();
        DurableFile.Replace(Layout.RenewRequestFile, Layout.RenewRequestFile + ".tmp", Encoding.ASCII.GetBytes(force ? "force\n" : "due\n"));
    }

    /// <summary>The pending renew request (removed as it is taken): null none, false "due", true "force".</summary>
    public bool? TakeRenewRequest()
    {
        var path = Layout.RenewRequestFile;
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var text = ReadBounded(path, 64).Trim();
            File.Delete(path);
            return text == "force";
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? ReadJson(string path) => File.Exists(path) ? ReadBounded(path, MaxJsonBytes) : null;

    private static T Deserialize<T>(string json, string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new IOException($"{path}: empty");
        }
        catch (JsonException e)
        {
            throw new IOException($"{path}: not valid JSON for this file: {e.Message}", e);
        }
    }

    private static string ReadBounded(string path, int limit)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.Length > limit)
        {
            throw new IOException($"{path}: larger than {limit} bytes");
        }
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
