namespace Postern.Protocol.Commands;

/// <summary>One <c>keyword[=value]</c> from a MAIL or RCPT line; <see cref="Value"/> is null without '='.</summary>
internal readonly record struct EsmtpParameter(string Keyword, string? Value);
