using Postern.Core.Tls;

namespace Postern.Pki.Tls;

/// <summary>
/// The size and last-write time of every file the TLS material came from (and of the entries of
/// ca_path and crl_path), so a poll can tell that something changed without reading any of it.
/// </summary>
internal sealed class TlsFileSnapshot : IEquatable<TlsFileSnapshot>
{
    private readonly List<(string Path, long Length, DateTime LastWriteUtc)> entries;

    private TlsFileSnapshot(List<(string, long, DateTime)> entries) => this.entries = entries;

    public static TlsFileSnapshot Take(TlsSettings settings)
    {
        var entries = new List<(string, long, DateTime)>();
        var certificates = settings.ServerCertificates;
        if (certificates.Count == 0)
        {
            // The ACME live files are watched before they exist, so their first appearance reloads too.
            certificates = [.. settings.AcmeCertificates, new CertificateFiles(
                Path.Combine(settings.GeneratedCertificateDirectory, SelfSignedCertificateGenerator.ServerCertificateName),
                Path.Combine(settings.GeneratedCertificateDirectory, SelfSignedCertificateGenerator.ServerKeyName))];
        }
        foreach (var files in certificates)
        {
            AddFile(entries, files.CertificateFile);
            if (files.KeyFile is not null)
            {
                AddFile(entries, files.KeyFile);
            }
        }
        AddFile(entries, settings.CaFile);
        AddDirectory(entries, settings.CaPath);
        AddFile(entries, settings.CrlFile);
        AddDirectory(entries, settings.CrlPath);
        return new TlsFileSnapshot(entries);
    }

    /// <summary>A snapshot of the given files (null entries skipped), for the relay client's certificate and CA bundle.</summary>
    public static TlsFileSnapshot TakeFiles(IEnumerable<string?> paths)
    {
        var entries = new List<(string, long, DateTime)>();
        foreach (var path in paths)
        {
            AddFile(entries, path);
        }
        return new TlsFileSnapshot(entries);
    }

    public bool Equals(TlsFileSnapshot? other) => other is not null && entries.SequenceEqual(other.entries);

    public override bool Equals(object? obj) => Equals(obj as TlsFileSnapshot);

    public override int GetHashCode() => entries.Count;

    private static void AddDirectory(List<(string, long, DateTime)> entries, string? directory)
    {
        if (directory is null)
        {
            return;
        }
        AddFile(entries, directory);
        try
        {
            foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
            {
                AddFile(entries, file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A missing or unreadable directory shows as such in its own entry; the reload reports it.
        }
    }

    private static void AddFile(List<(string, long, DateTime)> entries, string? path)
    {
        if (path is null)
        {
            return;
        }
        // FileInfo follows symlinks for Length only; use the target so a renewed symlink target (certbot) counts.
        var info = new FileInfo(path);
        var target = info.LinkTarget is null ? info : (info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info);
        entries.Add(target.Exists
            ? (path, target.Length, target.LastWriteTimeUtc)
            : (path, -1, Directory.Exists(path) ? Directory.GetLastWriteTimeUtc(path) : DateTime.MinValue));
    }
}
