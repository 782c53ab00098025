using System.Text;

namespace Postern.Cli.Cert;

/// <summary>
/// Reads a password never from argv (other users see argv in ps): from the terminal without echo,
/// asked twice, or as one line of standard input when that is not a terminal (scripts).
/// </summary>
internal static class PasswordReader
{
    /// <summary>The password, or null after saying why there is none.</summary>
    public static string? Read(string purpose, TextWriter error)
    {
        if (Console.IsInputRedirected)
        {
            var line = FromLine(Console.In);
            if (line is null)
            {
                error.WriteLine($"postern: cert: no password on standard input for {purpose} (one line expected)");
            }
            return line;
        }
        var first = Prompt($"{purpose} password: ", () => Console.ReadKey(intercept: true), error);
        var second = Prompt("Verifying - password again: ", () => Console.ReadKey(intercept: true), error);
        if (first != second)
        {
            error.WriteLine("postern: cert: the passwords differ");
            return null;
        }
        return first;
    }

    /// <summary>The first line of <paramref name="input"/> without its line end; null at end of input.</summary>
    public static string? FromLine(TextReader input) => input.ReadLine();

    /// <summary>Reads keys until Enter, echoing nothing; Backspace deletes.</summary>
    public static string Prompt(string prompt, Func<ConsoleKeyInfo> readKey, TextWriter echo)
    {
        echo.Write(prompt);
        echo.Flush();
        var text = new StringBuilder();
        while (true)
        {
            var key = readKey();
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }
                continue;
            }
            if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
        echo.WriteLine();
        return text.ToString();
    }
}
