using System.Globalization;

namespace Postern.Protocol.Commands;

/// <summary>Parses the argument of BDAT (<c>chunk-size [LAST]</c>, RFC 3030).</summary>
public static class BdatParser
{
    private const string Usage = "BDAT size [LAST]";

    public static ParseOutcome<BdatCommand> ParseBdat(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        var words = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is < 1 or > 2
            || words[0].Length > 19
            || !words[0].All(char.IsAsciiDigit)
            || !long.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || (words.Length == 2 && !words[1].Equals("LAST", StringComparison.OrdinalIgnoreCase)))
        {
            return new(null, ParameterReplies.Syntax(Usage));
        }
        return new(new BdatCommand(size, words.Length == 2), null);
    }
}
