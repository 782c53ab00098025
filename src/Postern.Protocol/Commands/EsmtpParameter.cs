namespace Postern.Protocol.Commands;

/// <summary>One <c>keyword[=value]</c> from a MAIL or RCPT line; <see cref="Value"/> is null without '='.</summary>
internal readonly record struct EsmtpParameter(string Keyword, string? Value)
{
    /// <summary>The parameters as they were written on the command line, one space between them: <c>KEYWORD</c> or <c>KEYWORD=value</c>.</summary>
    public static string AsSent(List<EsmtpParameter> parameters)
    {
        if (parameters.Count == 0)
        {
            return "";
        }
        var words = new string[parameters.Count];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = parameters[i].Value is { } value ? parameters[i].Keyword + "=" + value : parameters[i].Keyword;
        }
        return string.Join(' ', words);
    }
}
