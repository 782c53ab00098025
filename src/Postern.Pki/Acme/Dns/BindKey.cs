namespace Postern.Pki.Acme.Dns;

/// <summary>
/// BIND's key statement as tsig-keygen prints it:
/// <c>key "NAME" { algorithm hmac-sha256; secret "BASE64"; };</c> (one key, statements in any order).
/// </summary>
internal static class BindKey
{
    public static TsigKey Parse(IReadOnlyList<TsigKeyFileTokenizer.Token> tokens, string file)
    {
        var position = 1;
        var name = Take(tokens, ref position, file, "the key's name after 'key'");
        if (name.Is("{") || name.Is("}") || name.Is(";"))
        {
            throw new TsigKeyFileException(file, name.Line, "the key's name is missing after 'key'");
        }
        Expect(tokens, ref position, file, "{");
        TsigKeyFileTokenizer.Token? algorithm = null;
        TsigKeyFileTokenizer.Token? secret = null;
        while (true)
        {
            var statement = Take(tokens, ref position, file, "'}' closing the key");
            if (statement.Is("}"))
            {
                Expect(tokens, ref position, file, ";");
                if (algorithm is null || secret is null)
                {
                    throw new TsigKeyFileException(file, statement.Line, $"the key {name.Text} has no {(algorithm is null ? "algorithm" : "secret")}");
                }
                if (position < tokens.Count)
                {
                    var extra = tokens[position];
                    throw new TsigKeyFileException(file, extra.Line, extra.Text == "key" ? "more than one key: the file must hold one" : $"unexpected '{extra.Text}' after the key");
                }
                return TsigKeyFile.Build(algorithm.Text, name.Text, secret.Text, file, algorithm.Line, name.Line, secret.Line);
            }
            var value = Take(tokens, ref position, file, $"a value after '{statement.Text}'");
            Expect(tokens, ref position, file, ";");
            switch (statement.Text)
            {
                case "algorithm" when !statement.Quoted:
                    algorithm = algorithm is null ? value : throw Twice(file, statement);
                    break;
                case "secret" when !statement.Quoted:
                    secret = secret is null ? value : throw Twice(file, statement);
                    break;
                default:
                    throw new TsigKeyFileException(file, statement.Line, $"unknown statement '{statement.Text}' in the key (expected algorithm or secret)");
            }
        }
    }

    private static TsigKeyFileException Twice(string file, TsigKeyFileTokenizer.Token statement) =>
        new(file, statement.Line, $"'{statement.Text}' given twice");

    private static TsigKeyFileTokenizer.Token Take(IReadOnlyList<TsigKeyFileTokenizer.Token> tokens, ref int position, string file, string expected)
    {
        if (position >= tokens.Count)
        {
            var line = tokens.Count == 0 ? 1 : tokens[^1].Line;
            throw new TsigKeyFileException(file, line, $"the file ends where {expected} was expected");
        }
        return tokens[position++];
    }

    private static void Expect(IReadOnlyList<TsigKeyFileTokenizer.Token> tokens, ref int position, string file, string punctuation)
    {
        var token = Take(tokens, ref position, file, $"'{punctuation}'");
        if (!token.Is(punctuation))
        {
            throw new TsigKeyFileException(file, token.Line, $"expected '{punctuation}', found '{token.Text}'");
        }
    }
}
