using Postern.Protocol.Commands;

namespace Postern.Fuzz.Targets;

/// <summary>
/// Each input line through <see cref="SmtpCommandParser"/>, then its argument through the parser
/// the session would use (MAIL, RCPT, BDAT). A parser answers a value or a 5xx reply, never throws.
/// </summary>
internal static class CommandTarget
{
    public static void Run(byte[] input)
    {
        foreach (var line in InputLines.Split(input))
        {
            var command = SmtpCommandParser.Parse(line.Span);
            FuzzInvariantException.Require(command.Verb == SmtpVerb.Unknown || SmtpCommandParser.LookUp(command.VerbText) == command.Verb, "the verb is the one its text names");
            FuzzInvariantException.Require(!command.VerbText.Contains(' ', StringComparison.Ordinal), "the verb text holds no space");
            FuzzInvariantException.Require(command.HasInvalidBytes || !command.Argument.Any(c => char.IsControl(c) && c != '\t'), "a line without invalid bytes has an argument without controls");
            switch (command.Verb)
            {
                case SmtpVerb.Mail:
                    PathTarget.CheckMail(command.Argument);
                    break;
                case SmtpVerb.Rcpt:
                    PathTarget.CheckRcpt(command.Argument);
                    break;
                case SmtpVerb.Bdat:
                    CheckBdat(command.Argument);
                    break;
                default:
                    break;
            }
        }
    }

    private static void CheckBdat(string argument)
    {
        var outcome = BdatParser.ParseBdat(argument);
        if (outcome.IsSuccess)
        {
            FuzzInvariantException.Require(outcome.Value is { Size: >= 0 }, "a BDAT size is not negative");
        }
        else
        {
            ReplyChecks.RequireCleanRefusal(outcome.Error, "BDAT");
        }
    }
}
