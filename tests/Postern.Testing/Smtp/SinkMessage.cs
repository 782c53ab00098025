namespace Postern.Testing.Smtp;

/// <summary>One message a <see cref="SmtpSinkServer"/> took: the MAIL line, the accepted RCPT lines, the unstuffed DATA bytes.</summary>
public sealed record SinkMessage(string MailFrom, IReadOnlyList<string> Recipients, byte[] Data, bool Tls, string? AuthenticatedUser);
