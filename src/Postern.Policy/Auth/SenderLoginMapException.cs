namespace Postern.Policy.Auth;

/// <summary>A sender login map that does not load; <see cref="Errors"/> holds every problem as <c>file:line: message</c>.</summary>
public sealed class SenderLoginMapException : Exception
{
    public SenderLoginMapException()
        : this([])
    {
    }

    public SenderLoginMapException(string message)
        : this([message])
    {
    }

    public SenderLoginMapException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public SenderLoginMapException(IReadOnlyList<string> errors)
        : base(errors is null || errors.Count == 0 ? "sender login map does not load" : string.Join(Environment.NewLine, errors))
    {
        Errors = errors ?? [];
    }

    public IReadOnlyList<string> Errors { get; }
}
