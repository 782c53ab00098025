using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;

namespace Postern.Testing.Smtp;

/// <summary>
/// A small SMTP server on 127.0.0.1 (a free port) for relay client tests. It speaks enough SMTP
/// (EHLO/HELO, STARTTLS, AUTH PLAIN/LOGIN/CRAM-MD5/SCRAM-SHA-256, MAIL, RCPT, DATA, RSET, NOOP,
/// QUIT), behaves as <see cref="SinkOptions"/> says, and records commands, envelopes and the exact
/// DATA bytes after dot-unstuffing. Every read is bounded; dispose stops it.
/// </summary>
public sealed class SmtpSinkServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _sessions = [];
    private readonly List<SinkMessage> _messages = [];
    private readonly List<string> _commands = [];
    private readonly Lock _gate = new();

    public SmtpSinkServer(SinkOptions? options = null)
    {
        Options = options ?? new SinkOptions();
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public SinkOptions Options { get; }

    public int Port { get; }

    public int Connections { get; private set; }

    /// <summary>The most sessions that were open at once.</summary>
    public int MaxConcurrentSessions { get; private set; }

    private int _open;

    public string? ClientCertificateSubject { get; private set; }

    public bool SawTls { get; private set; }

    public IReadOnlyList<SinkMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (_gate)
            {
                return [.. _commands];
            }
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Connections++;
                lock (_gate)
                {
                    _sessions.Add(RunSessionAsync(client));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task RunSessionAsync(TcpClient client)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        // Only guards against a hung test; nothing asserts on time.
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        lock (_gate)
        {
            MaxConcurrentSessions = Math.Max(MaxConcurrentSessions, ++_open);
        }
        using (client)
        {
            try
            {
                await new Session(this, client.GetStream()).RunAsync(timeout.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or AuthenticationException or ObjectDisposedException)
            {
                // The client went away or the test ended.
            }
            finally
            {
                lock (_gate)
                {
                    _open--;
                }
            }
        }
    }

    private void Record(string command)
    {
        lock (_gate)
        {
            _commands.Add(command);
        }
    }

    private void Record(SinkMessage message)
    {
        lock (_gate)
        {
            _messages.Add(message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] sessions;
        lock (_gate)
        {
            sessions = [.. _sessions];
        }
        await Task.WhenAll(sessions);
        _listener.Dispose();
        _stop.Dispose();
    }

    private sealed class Session(SmtpSinkServer server, Stream network)
    {
        private readonly List<string> _held = [];
        private Stream _stream = network;
        private SinkLineReader _reader = new(network);
        private bool _tls;
        private string? _user;
        private string? _mailFrom;
        private List<string> _recipients = [];

        private SinkOptions Options => server.Options;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            await WriteAsync("220 sink.test ESMTP", cancellationToken);
            while (await _reader.ReadLineAsync(cancellationToken) is { } line)
            {
                server.Record(line);
                if (Options.Intercept?.Invoke(line) is { } intercepted)
                {
                    if (intercepted == "DROP")
                    {
                        return;
                    }
                    await WriteAsync(intercepted, cancellationToken);
                    if (intercepted.StartsWith("421", StringComparison.Ordinal) && !Options.StayOpenAfter421)
                    {
                        return;
                    }
                    continue;
                }
                if (!await HandleAsync(line, cancellationToken))
                {
                    return;
                }
            }
        }

        private async Task<bool> HandleAsync(string line, CancellationToken cancellationToken)
        {
            var verb = (line.Split(' ', 2)[0].Split(':')[0]).ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await WriteAsync(EhloReply(), cancellationToken);
                    break;
                case "HELO":
                    await WriteAsync("250 sink.test", cancellationToken);
                    break;
                case "STARTTLS" when Options.StartTls && !_tls:
                    await WriteAsync("220 2.0.0 Ready to start TLS", cancellationToken);
                    await HandshakeAsync(cancellationToken);
                    break;
                case "AUTH" when Options.AuthMechanisms.Count > 0 && _user is null:
                    await AuthAsync(line, cancellationToken);
                    break;
                case "MAIL":
                    await MailAsync(line, cancellationToken);
                    break;
                case "RCPT":
                    await RcptAsync(line, cancellationToken);
                    break;
                case "DATA":
                    await DataAsync(cancellationToken);
                    break;
                case "RSET":
                    _mailFrom = null;
                    _recipients = [];
                    await WriteAsync("250 2.0.0 Ok", cancellationToken);
                    break;
                case "NOOP":
                    await WriteAsync("250 2.0.0 Ok", cancellationToken);
                    break;
                case "QUIT":
                    await WriteAsync("221 2.0.0 Bye", cancellationToken);
                    return false;
                default:
                    await WriteAsync("502 5.5.2 Command not recognized", cancellationToken);
                    break;
            }
            return true;
        }

        private string EhloReply()
        {
            var lines = new List<string> { "sink.test", "ENHANCEDSTATUSCODES", "SIZE 10000000" };
            if (Options.Pipelining)
            {
                lines.Add("PIPELINING");
            }
            if (Options.EightBitMime)
            {
                lines.Add("8BITMIME");
            }
            if (Options.SmtpUtf8)
            {
                lines.Add("SMTPUTF8");
            }
            if (Options.Dsn)
            {
                lines.Add("DSN");
            }
            if (Options.DeliverBy is { } deliverBy)
            {
                lines.Add(("DELIVERBY " + deliverBy).TrimEnd());
            }
            if (Options.StartTls && !_tls)
            {
                lines.Add("STARTTLS");
            }
            if (Options.AuthMechanisms.Count > 0)
            {
                lines.Add("AUTH " + string.Join(' ', Options.AuthMechanisms));
            }
            return string.Join("\r\n", lines.Select((l, i) => (i == lines.Count - 1 ? "250 " : "250-") + l));
        }

        private async Task HandshakeAsync(CancellationToken cancellationToken)
        {
            if (_reader.HasBuffered)
            {
                throw new IOException("sink: plaintext pipelined after STARTTLS");
            }
            var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = Options.Certificate,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ClientCertificateRequired = Options.AskClientCertificate,
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                },
                cancellationToken);
            if (tls.RemoteCertificate is { } certificate)
            {
                server.ClientCertificateSubject = certificate.Subject;
            }
            server.SawTls = true;
            _stream = tls;
            _reader = new SinkLineReader(tls);
            _tls = true;
            _mailFrom = null;
            _recipients = [];
        }

        private async Task MailAsync(string line, CancellationToken cancellationToken)
        {
            if (Options.RequireTls && !_tls)
            {
                await ReplyAsync("530 5.7.0 Must issue a STARTTLS command first", cancellationToken);
                return;
            }
            if (Options.RequireAuth && _user is null)
            {
                await ReplyAsync("530 5.7.0 Authentication required", cancellationToken);
                return;
            }
            _mailFrom = line;
            _recipients = [];
            await ReplyAsync("250 2.1.0 Ok", cancellationToken);
        }

        private async Task RcptAsync(string line, CancellationToken cancellationToken)
        {
            if (_mailFrom is null)
            {
                await ReplyAsync("503 5.5.1 Need MAIL first", cancellationToken);
                return;
            }
            var open = line.IndexOf('<', StringComparison.Ordinal);
            var close = line.IndexOf('>', StringComparison.Ordinal);
            var address = open >= 0 && close > open ? line[(open + 1)..close] : line;
            if (Options.RcptReply?.Invoke(address) is { } refusal)
            {
                await ReplyAsync(refusal, cancellationToken);
                return;
            }
            _recipients.Add(line);
            await ReplyAsync("250 2.1.5 Ok", cancellationToken);
        }

        private async Task DataAsync(CancellationToken cancellationToken)
        {
            if (Options.DataCommandReply is { } reply)
            {
                await WriteAsync(reply, cancellationToken);
                return;
            }
            if (_mailFrom is null || _recipients.Count == 0)
            {
                await WriteAsync("554 5.5.1 No valid recipients", cancellationToken);
                return;
            }
            await WriteAsync("354 End data with <CR><LF>.<CR><LF>", cancellationToken);
            var data = new MemoryStream();
            while (true)
            {
                var raw = await _reader.ReadRawLineAsync(cancellationToken) ?? throw new IOException("sink: end of stream in DATA");
                if (raw is [(byte)'.', (byte)'\r', (byte)'\n'])
                {
                    break;
                }
                var skip = raw.Length > 0 && raw[0] == (byte)'.' ? 1 : 0;
                data.Write(raw, skip, raw.Length - skip);
            }
            if (Options.BeforeFinalReply is { } wait)
            {
                await wait();
            }
            var final = Options.FinalReply;
            if (final.StartsWith('2'))
            {
                server.Record(new SinkMessage(_mailFrom, _recipients, data.ToArray(), _tls, _user));
            }
            _mailFrom = null;
            _recipients = [];
            await WriteAsync(final, cancellationToken);
        }

        private async Task AuthAsync(string line, CancellationToken cancellationToken)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var mechanism = parts.Length > 1 ? parts[1].ToUpperInvariant() : string.Empty;
            var initial = parts.Length > 2 ? parts[2] : null;
            bool ok;
            switch (mechanism)
            {
                case "PLAIN":
                    var plain = Decode(initial ?? await ChallengeAsync(string.Empty, cancellationToken)).Split('\0');
                    ok = plain.Length == 3 && plain[1] == Options.User && plain[2] == Options.Password;
                    break;
                case "LOGIN":
                    var user = Decode(await ChallengeAsync(B64("Username:"), cancellationToken));
                    var password = Decode(await ChallengeAsync(B64("Password:"), cancellationToken));
                    ok = user == Options.User && password == Options.Password;
                    break;
                case "CRAM-MD5":
                    var challenge = "<12345.67890@sink.test>";
                    var answer = Decode(await ChallengeAsync(B64(challenge), cancellationToken)).Split(' ');
#pragma warning disable CA5351 // the mechanism under test is defined with HMAC-MD5
                    var expected = Convert.ToHexStringLower(HMACMD5.HashData(Encoding.UTF8.GetBytes(Options.Password), Encoding.UTF8.GetBytes(challenge)));
#pragma warning restore CA5351
                    ok = answer.Length == 2 && answer[0] == Options.User && answer[1] == expected;
                    break;
                case "SCRAM-SHA-256":
                    ok = await ScramAsync(initial, cancellationToken);
                    break;
                default:
                    await WriteAsync("504 5.5.4 Unrecognized authentication type", cancellationToken);
                    return;
            }
            if (ok)
            {
                _user = Options.User;
                await WriteAsync("235 2.7.0 Authentication successful", cancellationToken);
            }
            else
            {
                await WriteAsync("535 5.7.8 Authentication credentials invalid", cancellationToken);
            }
        }

        private async Task<bool> ScramAsync(string? initial, CancellationToken cancellationToken)
        {
            var clientFirst = Decode(initial ?? await ChallengeAsync(string.Empty, cancellationToken));
            var bare = clientFirst[(clientFirst.IndexOf(",,", StringComparison.Ordinal) + 2)..];
            var fields = bare.Split(',').ToDictionary(f => f[0], f => f[2..]);
            var salt = RandomNumberGenerator.GetBytes(16);
            var nonce = fields['r'] + "sinknonce";
            var serverFirst = $"r={nonce},s={Convert.ToBase64String(salt)},i=4096";
            var clientFinal = Decode(await ChallengeAsync(B64(serverFirst), cancellationToken));
            var proofAt = clientFinal.LastIndexOf(",p=", StringComparison.Ordinal);
            var withoutProof = clientFinal[..proofAt];
            var proof = Convert.FromBase64String(clientFinal[(proofAt + 3)..]);
            var authMessage = Encoding.UTF8.GetBytes(bare + "," + serverFirst + "," + withoutProof);
            var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Options.Password), salt, 4096, HashAlgorithmName.SHA256, 32);
            var storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
            var signature = HMACSHA256.HashData(storedKey, authMessage);
            var clientKey = proof.Zip(signature, (a, b) => (byte)(a ^ b)).ToArray();
            if (fields['n'] != Options.User || !SHA256.HashData(clientKey).SequenceEqual(storedKey))
            {
                return false;
            }
            var serverSignature = HMACSHA256.HashData(HMACSHA256.HashData(salted, "Server Key"u8), authMessage);
            await ChallengeAsync(B64("v=" + Convert.ToBase64String(serverSignature)), cancellationToken);
            return true;
        }

        private async Task<string> ChallengeAsync(string challenge, CancellationToken cancellationToken)
        {
            await WriteAsync("334 " + challenge, cancellationToken);
            var line = await _reader.ReadLineAsync(cancellationToken) ?? throw new IOException("sink: end of stream in AUTH");
            server.Record(line);
            return line;
        }

        private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

        private static string Decode(string base64) => base64 == "=" ? string.Empty : Encoding.UTF8.GetString(Convert.FromBase64String(base64));

        /// <summary>A reply to MAIL or RCPT: held back until DATA when the test wants proof of pipelining.</summary>
        private async Task ReplyAsync(string reply, CancellationToken cancellationToken)
        {
            if (Options.HoldRepliesUntilData)
            {
                _held.Add(reply);
                return;
            }
            await WriteAsync(reply, cancellationToken);
        }

        private async Task WriteAsync(string reply, CancellationToken cancellationToken)
        {
            var text = string.Concat(_held.Select(h => h + "\r\n")) + reply + "\r\n";
            _held.Clear();
            await _stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
            await _stream.FlushAsync(cancellationToken);
        }
    }
}
