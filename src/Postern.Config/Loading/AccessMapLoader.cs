using Postern.Policy.Access;

namespace Postern.Config.Loading;

/// <summary>Loads policy.access_map, reporting every error with file and line.</summary>
public static class AccessMapLoader
{
    /// <summary>The map (empty without a file), or null after writing the errors.</summary>
    public static AccessMap? TryLoad(string? path, TextWriter errors)
    {
        if (path is null)
        {
            return AccessMap.Empty;
        }
        try
        {
            return AccessMapParser.Load(path);
        }
        catch (AccessMapException e)
        {
            foreach (var error in e.Errors)
            {
                errors.WriteLine(error);
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"{path}: cannot read the access map: {e.Message}");
            return null;
        }
    }
}
