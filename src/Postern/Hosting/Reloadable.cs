namespace Postern.Hosting;

/// <summary>
/// A file-backed, immutable value that SIGHUP reloads (the aliases, the access map). Readers take
/// <see cref="Current"/> once per decision; a reload that fails keeps the last good value.
/// </summary>
/// <param name="initial">The value loaded at start.</param>
/// <param name="load">Loads a new value, or returns null after writing its errors (file:line: message).</param>
internal sealed class Reloadable<T>(T initial, Func<TextWriter, T?> load)
    where T : class
{
    private T _current = initial;

    public T Current => Volatile.Read(ref _current);

    /// <summary>Loads again; returns the errors, empty when the new value is in use.</summary>
    public string Reload()
    {
        var errors = new StringWriter();
        if (load(errors) is { } loaded)
        {
            Volatile.Write(ref _current, loaded);
        }
        return errors.ToString().Trim();
    }
}
