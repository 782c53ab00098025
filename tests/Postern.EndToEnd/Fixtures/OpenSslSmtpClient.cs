using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// <c>openssl s_client -starttls smtp</c> driven one command at a time: s_client does the EHLO and
/// STARTTLS itself (presenting <c>-cert</c>/<c>-key</c> when given), then every line written here
/// goes through the TLS session and the reply is read back before the next command, as a client
/// that does not pipeline would. Every read is bounded.
/// </summary>
public sealed partial class OpenSslSmtpClient : IDisposable
{
    private static readonly TimeSpan ReplyWait = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly StringBuilder _transcript = new();
    private readonly Task<string> _stderr;

    private OpenSslSmtpClient(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>What was said both ways ("C:"/"S:"), then s_client's own diagnostics once it has exited.</summary>
    public string Transcript => _transcript + (_stderr.IsCompleted ? "\nopenssl stderr:\n" + _stderr.Result : "");

    public static OpenSslSmtpClient Start(int port, string? certificate, string? key)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // -nocommands: a line starting with R or Q ("RCPT", "QUIT") must not renegotiate or quit.
        string[] arguments =
        [
            "s_client", "-connect", "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), "-starttls", "smtp",
            "-name", "laptop.test", "-servername", "localhost", "-quiet", "-nocommands",
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        if (certificate is not null)
        {
            info.ArgumentList.Add("-cert");
            info.ArgumentList.Add(certificate);
            info.ArgumentList.Add("-key");
            info.ArgumentList.Add(key!);
        }
        var process = Process.Start(info)!;
        process.StandardInput.NewLine = "\r\n";
        return new OpenSslSmtpClient(process);
    }

    /// <summary>Sends one line and returns the whole reply, or null when the session is gone (handshake refused, closed).</summary>
    public async Task<string?> CommandAsync(string line)
    {
        _transcript.Append("C: ").AppendLine(line);
        try
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
        }
        catch (IOException)
        {
            return null;
        }
        return await ReadReplyAsync();
    }

    /// <summary>Sends the message lines and the final dot, returning the reply to the dot.</summary>
    public async Task<string?> SendMessageAsync(string message)
    {
        foreach (var line in message.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
        {
            await _process.StandardInput.WriteLineAsync(line.StartsWith('.') ? "." + line : line);
        }
        return await CommandAsync(".");
    }

    private async Task<string?> ReadReplyAsync()
    {
        var reply = new StringBuilder();
        using var timeout = new CancellationTokenSource(ReplyWait);
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            _transcript.Append("S: ").AppendLine(line);
            reply.AppendLine(line);
            if (FinalReplyLine().IsMatch(line))
            {
                return reply.ToString();
            }
        }
        return null;
    }

    /// <summary>
    /// The seeds' relay attempt: EHLO, MAIL, RCPT and, when the recipient is accepted, DATA with an
    /// X-Token header, then QUIT. Returns the RCPT reply, or null when the session broke before it.
    /// </summary>
    public async Task<string?> RelayAsync(string sender, string recipient, string token)
    {
        if (await CommandAsync("EHLO laptop.test") is null || await CommandAsync($"MAIL FROM:<{sender}>") is null)
        {
            return null;
        }
        var rcpt = await CommandAsync($"RCPT TO:<{recipient}>");
        if (rcpt is not null && rcpt.StartsWith("250", StringComparison.Ordinal)
            && await CommandAsync("DATA") is { } data && data.StartsWith("354", StringComparison.Ordinal))
        {
            await SendMessageAsync($"From: {sender}\nTo: {recipient}\nSubject: openssl s_client\nX-Token: {token}\n\nrelayed by certificate\n");
        }
        await CommandAsync("QUIT");
        await WaitForExitAsync();
        return rcpt;
    }

    /// <summary>Closes s_client's input and waits (bounded) for it to end.</summary>
    public async Task WaitForExitAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(ReplyWait);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            await _stderr;
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"^\d{3}( |$)")]
    private static partial Regex FinalReplyLine();
}
