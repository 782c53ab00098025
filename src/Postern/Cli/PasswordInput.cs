namespace Postern.Cli;

/// <summary>
/// Reads a new password: from the terminal without echo, asked twice, when stdin is a TTY; else
/// one line from stdin (for scripts: <c>printf '%s\n' "$pw" | postern user add alice</c>). Never
/// from the command line, where ps and shell history would show it.
/// </summary>
internal static class PasswordInput
{
    /// <summary>The password, or null after writing why to <paramref name="error"/>.</summary>
    public static string? ReadNew(TextWriter error)
    {
        if (Console.IsInputRedirected)
        {
            return ReadLine(Console.In, error);
        }
        var first = ReadHidden("New password: ", error);
        var second = first is null ? null : ReadHidden("Retype new password: ", error);
        if (first is null || second is null)
        {
            error.WriteLine("postern: user: no password entered");
            return null;
        }
        if (!string.Equals(first, second, StringComparison.Ordinal))
        {
            error.WriteLine("postern: user: the passwords do not match");
            return null;
        }
        return first;
    }

    /// <summary>One line (without its CR LF); null when there is none.</summary>
    public static string? ReadLine(TextReader input, TextWriter error)
    {
        var line = input.ReadLine();
        if (line is null)
        {
            error.WriteLine("postern: user: no password on standard input (one line expected)");
        }
        return line?.TrimEnd('\r');
    }

    private static string? ReadHidden(string prompt, TextWriter error)
    {
        error.Write(prompt);
        error.Flush();
        var buffer = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    error.WriteLine();
                    return buffer.ToString();
                case ConsoleKey.Backspace:
                    if (buffer.Length > 0)
                    {
                        buffer.Length--;
                    }
                    break;
                default:
                    if (key.Modifiers.HasFlag(ConsoleModifiers.Control) && key.Key is ConsoleKey.C or ConsoleKey.D)
                    {
                        error.WriteLine();
                        return null;
                    }
                    if (!char.IsControl(key.KeyChar))
                    {
                        buffer.Append(key.KeyChar);
                    }
                    break;
            }
        }
    }
}
