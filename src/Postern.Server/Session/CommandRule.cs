using Postern.Core.Smtp;
using Postern.Protocol.Commands;

namespace Postern.Server.Session;

/// <summary>One row of the command table: the guard and the handler.</summary>
internal sealed record CommandRule(
    SmtpVerb Verb,
    CommandGuard Guard,
    Func<SmtpSession, SmtpCommand, CancellationToken, ValueTask<SmtpReply?>> Handler);
