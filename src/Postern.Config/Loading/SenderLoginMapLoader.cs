using Postern.Policy.Auth;

namespace Postern.Config.Loading;

/// <summary>Loads auth.sender_login_map, reporting every error with file and line.</summary>
public static class SenderLoginMapLoader
{
    /// <summary>The map (empty without a file), or null after writing the errors.</summary>
    public static SenderLoginMap? TryLoad(string? path, TextWriter errors)
    {
        if (path is null)
        {
            return SenderLoginMap.Empty;
        }
        try
        {
            return SenderLoginMap.Load(path);
        }
        catch (SenderLoginMapException e)
        {
            foreach (var error in e.Errors)
            {
                errors.WriteLine(error);
            }
            return null;
        }
    }
}
