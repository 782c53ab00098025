using System.Text.Json;

namespace Postern.Pki.Authority;

/// <summary>Reads and rewrites <c>index.json</c> (atomically; callers hold the CA lock).</summary>
internal static class CaIndex
{
    private const int CurrentVersion = 1;

    public static List<CaIndexEntry> Load(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        try
        {
            var document = JsonSerializer.Deserialize(File.ReadAllBytes(path), CaIndexJsonContext.Default.CaIndexDocument);
            return document?.Certificates?.ToList() ?? [];
        }
        catch (JsonException e)
        {
            throw new CaException(CaErrorKind.BadData, $"{path}: the CA index is not valid: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaException(CaErrorKind.Io, $"{path}: cannot read the CA index: {e.Message}", e);
        }
    }

    public static void Save(string path, IReadOnlyList<CaIndexEntry> entries)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new CaIndexDocument(CurrentVersion, entries), CaIndexJsonContext.Default.CaIndexDocument);
        SecureFile.Write(path, bytes, SecureFile.PublicMode);
    }
}
