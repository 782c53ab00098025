namespace Postern.Config;

/// <summary>A 1-based place in the configuration text; <see cref="None"/> when there is none.</summary>
public readonly record struct SourceLocation(int Line, int Column)
{
    public static SourceLocation None => default;

    public static SourceLocation Start => new(1, 1);
}
