namespace Postern.Config;

/// <summary>
/// Why a configured path was not found: "permission denied" when this user may not reach it (a file
/// in a directory only root may enter exists all the same), "no such file" only when it is absent.
/// </summary>
internal static class MissingPath
{
    public static string Describe(string path, string kind)
    {
        try
        {
            File.GetAttributes(path);
        }
        catch (UnauthorizedAccessException)
        {
            return $"permission denied: {path} (this user may not read it or enter its directory)";
        }
        catch (Exception e) when (e is IOException or ArgumentException or NotSupportedException)
        {
            return $"no such {kind}: {path}";
        }
        // Present after all (an injected existence check, or it appeared since).
        return $"no such {kind}: {path}";
    }
}
