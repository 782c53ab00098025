namespace Postern.Policy.Access;

/// <summary>An access map that does not load; <see cref="Errors"/> holds every problem as <c>file:line: message</c>.</summary>
public sealed class AccessMapException : Exception
{
    public AccessMapException()
        : this([])
    {
    }

    public AccessMapException(string message)
        : this([message])
    {
    }

    public AccessMapException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public AccessMapException(IReadOnlyList<string> errors)
        : base(errors is null || errors.Count == 0 ? "access map does not load" : string.Join(Environment.NewLine, errors))
    {
        Errors = errors ?? [];
    }

    public IReadOnlyList<string> Errors { get; }
}
