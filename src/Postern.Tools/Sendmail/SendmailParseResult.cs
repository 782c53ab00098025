namespace Postern.Tools.Sendmail;

/// <summary>The parsed options, or the usage error that refuses the command line.</summary>
public sealed record SendmailParseResult(SendmailOptions? Options, string? Error)
{
    public static SendmailParseResult Ok(SendmailOptions options) => new(options, null);

    public static SendmailParseResult Fail(string error) => new(null, error);
}
