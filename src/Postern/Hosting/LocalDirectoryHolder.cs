using Postern.Delivery.Local;

namespace Postern.Hosting;

/// <summary>
/// The current local users and aliases. Readers take <see cref="Current"/> once per decision; a
/// reload (SIGHUP) swaps in a new immutable directory, or keeps the old one when the file is bad.
/// </summary>
internal sealed class LocalDirectoryHolder(LocalRecipientDirectory initial, LocalDeliveryOptions options)
{
    private LocalRecipientDirectory _current = initial;

    public LocalRecipientDirectory Current => Volatile.Read(ref _current);

    /// <summary>Reloads the aliases file; returns the errors (empty when the new directory is in use).</summary>
    public string Reload()
    {
        var errors = new StringWriter();
        if (Cli.LocalDirectoryLoader.TryLoad(options, errors) is { } loaded)
        {
            Volatile.Write(ref _current, loaded);
        }
        return errors.ToString().Trim();
    }
}
