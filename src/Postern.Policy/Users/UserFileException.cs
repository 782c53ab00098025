namespace Postern.Policy.Users;

/// <summary>A users file that does not load; <see cref="Errors"/> holds every problem as <c>file:line: message</c>, never a secret.</summary>
public sealed class UserFileException : Exception
{
    public UserFileException()
        : this([])
    {
    }

    public UserFileException(string message)
        : this([message])
    {
    }

    public UserFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public UserFileException(IReadOnlyList<string> errors)
        : base(errors is null || errors.Count == 0 ? "users file does not load" : string.Join(Environment.NewLine, errors))
    {
        Errors = errors ?? [];
    }

    public IReadOnlyList<string> Errors { get; }
}
