using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Postern.Tests.Delivery.Lmtp;

/// <summary>
/// An LMTP server in the test process, on loopback TCP or a Unix socket, answering by script:
/// each recipient's RCPT reply and its reply after DATA by address (250 by default), the LHLO
/// keywords offered, STARTTLS with a throw-away certificate, and a stall before the replies after
/// DATA. It records every command line, each read (to see pipelined groups) and each message.
/// </summary>
internal sealed class ScriptedLmtpServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly string? _socketPath;

    private ScriptedLmtpServer(Socket listener, string? socketPath)
    {
        _listener = listener;
        _socketPath = socketPath;
        _accepting = AcceptLoopAsync();
    }

    public string Greeting { get; set; } = "220 lmtp.test ready";

    public List<string> Keywords { get; } = ["PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME"];

    public Dictionary<string, string> RcptReplies { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, string> DataReplies { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Set: the replies after DATA wait for it (a slow or hung server).</summary>
    public TaskCompletionSource? StallAfterData { get; set; }

    /// <summary>Set when the server has read the whole message.</summary>
    public TaskCompletionSource MessageRead { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Close the connection right after the first reply after DATA.</summary>
    public bool DropAfterFirstDataReply { get; set; }

    /// <summary>A TLS handshake that fails: the server closes the connection instead.</summary>
    public bool BreakTls { get; set; }

    public ConcurrentQueue<string> Commands { get; } = new();

    /// <summary>The command lines of each read, joined by '|': a pipelined group arrives in one read.</summary>
    public ConcurrentQueue<string> Reads { get; } = new();

    public ConcurrentQueue<string> Messages { get; } = new();

    public int Port => _listener.LocalEndPoint is IPEndPoint ip ? ip.Port : 0;

    public int Connections;

    public int TlsSessions;

    public string Transport => _socketPath is null ? $"lmtp:[127.0.0.1]:{Port}" : "lmtp:unix:" + _socketPath;

    public static ScriptedLmtpServer StartTcp()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        return new ScriptedLmtpServer(listener, null);
    }

    public static ScriptedLmtpServer StartUnix(string path)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(16);
        return new ScriptedLmtpServer(listener, path);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        StallAfterData?.TrySetResult();
        try
        {
            await _accepting.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or TimeoutException)
        {
        }
        _stop.Dispose();
        if (_socketPath is not null)
        {
            File.Delete(_socketPath);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref Connections);
            _ = Task.Run(async () =>
            {
                await using var stream = new NetworkStream(client, ownsSocket: true);
                try
                {
                    await ServeAsync(stream);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
                {
                    // The client went away or the test ended.
                }
            });
        }
    }

    private async Task ServeAsync(Stream network)
    {
        var stream = network;
        var reader = new LineReader(stream);
        await WriteAsync(stream, Greeting);
        var accepted = new List<string>();
        var ended = false;
        while (!ended)
        {
            var lines = await reader.ReadGroupAsync(_stop.Token);
            if (lines is null)
            {
                return;
            }
            Reads.Enqueue(string.Join("|", lines));
            foreach (var line in lines)
            {
                Commands.Enqueue(line);
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "LHLO":
                        var offered = Keywords.Where(k => !(k == "STARTTLS" && stream is SslStream)).ToList();
                        var reply = new StringBuilder("250-lmtp.test\r\n");
                        for (var i = 0; i < offered.Count; i++)
                        {
                            reply.Append(i == offered.Count - 1 ? "250 " : "250-").Append(offered[i]).Append("\r\n");
                        }
                        if (offered.Count == 0)
                        {
                            reply = new StringBuilder("250 lmtp.test\r\n");
                        }
                        await WriteRawAsync(stream, reply.ToString());
                        break;
                    case "STARTTLS":
                        await WriteAsync(stream, "220 2.0.0 go ahead");
                        if (BreakTls)
                        {
                            return;
                        }
                        var tls = new SslStream(network);
                        using (var certificate = CreateCertificate())
                        {
                            await tls.AuthenticateAsServerAsync(certificate);
                        }
                        Interlocked.Increment(ref TlsSessions);
                        stream = tls;
                        reader = new LineReader(stream);
                        break;
                    case "MAIL":
                        accepted.Clear();
                        await WriteAsync(stream, "250 2.1.0 OK");
                        break;
                    case "RCPT":
                        var address = Address(line);
                        var rcpt = RcptReplies.GetValueOrDefault(address, "250 2.1.5 OK");
                        if (rcpt.StartsWith('2'))
                        {
                            accepted.Add(address);
                        }
                        await WriteAsync(stream, rcpt);
                        break;
                    case "DATA":
                        if (accepted.Count == 0)
                        {
                            await WriteAsync(stream, "503 5.5.1 No valid recipients");
                            break;
                        }
                        await WriteAsync(stream, "354 OK");
                        Messages.Enqueue(await reader.ReadDataAsync(_stop.Token));
                        MessageRead.TrySetResult();
                        if (StallAfterData is { } stall)
                        {
                            await stall.Task;
                        }
                        foreach (var recipient in accepted)
                        {
                            await WriteAsync(stream, DataReplies.GetValueOrDefault(recipient, $"250 2.0.0 <{recipient}> Saved"));
                            if (DropAfterFirstDataReply)
                            {
                                return;
                            }
                        }
                        break;
                    case "RSET":
                        accepted.Clear();
                        await WriteAsync(stream, "250 2.0.0 OK");
                        break;
                    case "QUIT":
                        await WriteAsync(stream, "221 2.0.0 Bye");
                        ended = true;
                        break;
                    default:
                        await WriteAsync(stream, "500 5.5.2 Unknown command");
                        break;
                }
            }
        }
    }

    private static string Address(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? line[(start + 1)..end] : string.Empty;
    }

    private static Task WriteAsync(Stream stream, string reply) => WriteRawAsync(stream, reply + "\r\n");

    private static async Task WriteRawAsync(Stream stream, string text)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text));
        await stream.FlushAsync();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=lmtp.test", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    /// <summary>Lines as they arrive: a read's complete lines form a group.</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[65536];
        private readonly StringBuilder _pending = new();

        public async Task<List<string>?> ReadGroupAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var lines = TakeLines();
                if (lines.Count > 0)
                {
                    return lines;
                }
                var read = await stream.ReadAsync(_buffer, cancellationToken);
                if (read == 0)
                {
                    return null;
                }
                _pending.Append(Encoding.Latin1.GetString(_buffer, 0, read));
            }
        }

        /// <summary>The message up to the line with a single dot, dot-unstuffed.</summary>
        public async Task<string> ReadDataAsync(CancellationToken cancellationToken)
        {
            var body = new StringBuilder();
            while (true)
            {
                var text = _pending.ToString();
                var newline = text.IndexOf("\r\n", StringComparison.Ordinal);
                if (newline < 0)
                {
                    var read = await stream.ReadAsync(_buffer, cancellationToken);
                    if (read == 0)
                    {
                        throw new IOException("closed in DATA");
                    }
                    _pending.Append(Encoding.Latin1.GetString(_buffer, 0, read));
                    continue;
                }
                var line = text[..newline];
                _pending.Remove(0, newline + 2);
                if (line == ".")
                {
                    return body.ToString();
                }
                body.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
            }
        }

        private List<string> TakeLines()
        {
            var lines = new List<string>();
            var text = _pending.ToString();
            var start = 0;
            while (true)
            {
                var newline = text.IndexOf("\r\n", start, StringComparison.Ordinal);
                if (newline < 0)
                {
                    break;
                }
                var line = text[start..newline];
                lines.Add(line);
                start = newline + 2;
                if (line.Equals("DATA", StringComparison.OrdinalIgnoreCase) || line.Equals("STARTTLS", StringComparison.OrdinalIgnoreCase))
                {
                    // What follows DATA is the message; after STARTTLS, TLS.
                    break;
                }
            }
            _pending.Remove(0, start);
            return lines;
        }
    }
}
