namespace Postern.Delivery.Aliases;

/// <summary>An aliases or :include: file could not be used; <see cref="Errors"/> lists every problem found.</summary>
public sealed class AliasesParseException : Exception
{
    public AliasesParseException()
    {
    }

    public AliasesParseException(string message)
        : base(message)
    {
    }

    public AliasesParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AliasesParseException(IReadOnlyList<AliasesError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<AliasesError> Errors { get; } = [];
}
