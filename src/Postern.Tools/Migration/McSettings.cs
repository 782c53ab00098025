namespace Postern.Tools.Migration;

/// <summary>What the .mc (and the files it includes) sets, collected before translation; later definitions win, as in m4.</summary>
internal sealed class McSettings
{
    /// <summary>The <c>conf*</c> options by name (and .cf <c>O</c> options under their conf names).</summary>
    public Dictionary<string, McOption> Options { get; } = new(StringComparer.Ordinal);

    /// <summary>Each DAEMON_OPTIONS argument.</summary>
    public List<McOption> Daemons { get; } = [];

    /// <summary>FEATURE names (lowercase) and their first argument.</summary>
    public Dictionary<string, McOption> Features { get; } = new(StringComparer.OrdinalIgnoreCase);

    public McOption? TrustedMechanisms { get; set; }

    public McOption? SmartHost { get; set; }

    /// <summary>Each MAIL_FILTER and INPUT_MAIL_FILTER: the filter's name and its equates (<c>S=..., F=..., T=...</c>).</summary>
    public List<(string Name, McOption Equates)> MailFilters { get; } = [];

    public List<ImportMessage> Messages { get; } = [];

    public void NotTranslated(string file, int line, string text) => Messages.Add(new(file, line, ImportMessageKind.NotTranslated, text));

    public void Note(string file, int line, string text) => Messages.Add(new(file, line, ImportMessageKind.Note, text));

    public void Warn(string file, int line, string text) => Messages.Add(new(file, line, ImportMessageKind.Warning, text));
}
