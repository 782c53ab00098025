namespace Postern.Tools.Sendmail;

/// <summary>
/// The header section of a submitted message, read with a bound. <see cref="FirstBodyLine"/> is
/// the line that ended it when that was not the empty separator line (a message without headers,
/// or a line that is no header field): it belongs to the body.
/// </summary>
public sealed class HeaderSection
{
    /// <summary>Sendmail's MaxHeadersLength is 32K; a little more room for long recipient lists.</summary>
    public const int MaxBytes = 256 * 1024;

    public List<HeaderField> Fields { get; } = [];

    public InputLine? FirstBodyLine { get; set; }

    /// <summary>The input ended (end of file or a lone dot) within the header section.</summary>
    public bool InputEnded { get; set; }

    public bool Has(string name) => Fields.Any(f => f.Is(name));

    public IEnumerable<HeaderField> All(params string[] names) => Fields.Where(f => names.Any(f.Is));
}
