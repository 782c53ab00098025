using Postern.Core.Smtp;

namespace Postern.Protocol.Commands;

/// <summary>The result of parsing a command argument: a value, or the reply that refuses it.</summary>
public readonly record struct ParseOutcome<T>(T? Value, SmtpReply? Error)
{
    public bool IsSuccess => Error is null;
}
