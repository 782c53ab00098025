using System.Text;

namespace Postern.Pki.Acme.Dns;

/// <summary>
/// Splits a key file into BIND configuration tokens with their lines: quoted strings, words and
/// the punctuation { } ;. Comments (#, // and /* */) start only where a token could start, so a
/// base64 secret with "//" inside a word stays whole.
/// </summary>
internal static class TsigKeyFileTokenizer
{
    /// <summary>A key file has a dozen tokens; a bound keeps a hostile file from costing more.</summary>
    private const int MaxTokens = 256;

    internal sealed record Token(string Text, bool Quoted, int Line)
    {
        public bool Is(string punctuation) => !Quoted && Text == punctuation;
    }

    public static IReadOnlyList<Token> Tokenize(string text, string file)
    {
        var tokens = new List<Token>();
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#' || (c == '/' && Next(text, i) == '/'))
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '/' && Next(text, i) == '*')
            {
                var start = line;
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw new TsigKeyFileException(file, start, "a /* comment is not closed");
                }
                line += text.AsSpan(i, end - i).Count('\n');
                i = end + 2;
            }
            else if (c == '"')
            {
                var end = text.IndexOf('"', i + 1);
                if (end < 0 || text.AsSpan(i, end - i).Contains('\n'))
                {
                    throw new TsigKeyFileException(file, line, "a quoted string is not closed on its line");
                }
                Add(tokens, new Token(text[(i + 1)..end], Quoted: true, line), file);
                i = end + 1;
            }
            else if (c is '{' or '}' or ';')
            {
                Add(tokens, new Token(c.ToString(), Quoted: false, line), file);
                i++;
            }
            else
            {
                var word = new StringBuilder();
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('{' or '}' or ';' or '"'))
                {
                    word.Append(text[i++]);
                }
                Add(tokens, new Token(word.ToString(), Quoted: false, line), file);
            }
        }
        return tokens;
    }

    private static char Next(string text, int i) => i + 1 < text.Length ? text[i + 1] : '\0';

    private static void Add(List<Token> tokens, Token token, string file)
    {
        if (tokens.Count == MaxTokens)
        {
            throw new TsigKeyFileException(file, token.Line, "too long for a TSIG key file");
        }
        tokens.Add(token);
    }
}
