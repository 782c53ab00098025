using System.Globalization;

namespace Postern.Delivery.Aliases;

/// <summary>A problem in an aliases or :include: file; <see cref="Line"/> is 0 for the whole file.</summary>
public sealed record AliasesError(string File, int Line, string Message)
{
    public override string ToString() =>
        Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}: {Message}")
            : $"{File}: {Message}";
}
