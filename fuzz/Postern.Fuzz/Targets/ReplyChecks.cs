using Postern.Core.Smtp;

namespace Postern.Fuzz.Targets;

/// <summary>What every refusal a parser returns must look like on the wire.</summary>
internal static class ReplyChecks
{
    /// <summary>A permanent (5xx) reply whose lines carry no control character a client could use to forge lines.</summary>
    public static void RequireCleanRefusal(SmtpReply? reply, string what)
    {
        FuzzInvariantException.Require(reply is not null, what + ": a refusal carries a reply");
        FuzzInvariantException.Require(reply!.IsPermanentFailure, what + ": a syntax refusal is 5xx, got " + reply.Code);
        foreach (var line in reply.Lines)
        {
            FuzzInvariantException.Require(!line.Any(char.IsControl), what + ": a reply line holds a control character");
        }
    }

    /// <summary>No CR, LF or other control character: what a parser accepted may reach the log, headers and DSNs.</summary>
    public static void RequireNoControl(string? text, string what) =>
        FuzzInvariantException.Require(text is null || !text.Any(char.IsControl), what + " holds a control character");
}
