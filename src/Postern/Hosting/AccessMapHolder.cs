using Postern.Policy.Access;

namespace Postern.Hosting;

/// <summary>
/// The current access map (policy.access_map). SIGHUP reloads it; a file with errors is refused
/// and the last good map stays in use.
/// </summary>
internal sealed class AccessMapHolder(AccessMap initial, string? path)
{
    private AccessMap _current = initial;

    public AccessMap Current => Volatile.Read(ref _current);

    /// <summary>Loads the map, or returns null after writing every error (file:line: message).</summary>
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

    /// <summary>Reloads; returns the errors, empty when the new map is in use.</summary>
    public string Reload()
    {
        var errors = new StringWriter();
        if (TryLoad(path, errors) is { } loaded)
        {
            Volatile.Write(ref _current, loaded);
        }
        return errors.ToString().Trim();
    }
}
