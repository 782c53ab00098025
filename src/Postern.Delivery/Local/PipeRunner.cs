using System.Diagnostics;
using System.Text;

namespace Postern.Delivery.Local;

/// <summary>
/// Runs a <c>"|command"</c> alias: <c>/bin/sh -c command</c> with the message on stdin, a clean
/// environment (PATH, SHELL and the variables given), and a time limit after which the whole
/// process tree is killed. Output is drained (so the command never blocks) and its start kept for the reply.
/// </summary>
internal sealed class PipeRunner(TimeSpan timeout, TimeProvider timeProvider)
{
    private const int MaxOutputChars = 512;

    public async ValueTask<PipeResult> RunAsync(
        string command,
        IReadOnlyDictionary<string, string> environment,
        ReadOnlyMemory<byte> prefix,
        Stream body,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        // The daemon's own environment is not the command's business.
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        start.Environment["SHELL"] = "/bin/sh";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new IOException("could not start /bin/sh");
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        var output = new BoundedText(MaxOutputChars);
        var stdout = DrainAsync(process.StandardOutput, output);
        var stderr = DrainAsync(process.StandardError, output);
        try
        {
            await FeedAsync(process.StandardInput.BaseStream, prefix, body, linked.Token);
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited meanwhile.
            }
            await Task.WhenAll(stdout, stderr);
            cancellationToken.ThrowIfCancellationRequested();
            return new PipeResult(null, TimedOut: true, output.ToString());
        }
        await Task.WhenAll(stdout, stderr);
        return new PipeResult(process.ExitCode, TimedOut: false, output.ToString());
    }

    private static async Task FeedAsync(Stream stdin, ReadOnlyMemory<byte> prefix, Stream body, CancellationToken cancellationToken)
    {
        try
        {
            await using (stdin)
            {
                await stdin.WriteAsync(prefix, cancellationToken);
                await body.CopyToAsync(stdin, cancellationToken);
            }
        }
        catch (IOException)
        {
            // The command stopped reading (EPIPE): its exit status decides what happened.
        }
    }

    private static async Task DrainAsync(StreamReader reader, BoundedText output)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            output.Append(buffer.AsSpan(0, read));
        }
    }

    /// <summary>Keeps the first characters of both output streams; thread-safe.</summary>
    private sealed class BoundedText(int limit)
    {
        private readonly StringBuilder _builder = new();
        private readonly Lock _lock = new();

        public void Append(ReadOnlySpan<char> text)
        {
            lock (_lock)
            {
                var room = limit - _builder.Length;
                if (room > 0)
                {
                    _builder.Append(text[..Math.Min(room, text.Length)]);
                }
            }
        }

        public override string ToString()
        {
            lock (_lock)
            {
                return _builder.ToString();
            }
        }
    }
}
