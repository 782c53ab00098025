using System.Net.Security;
using System.Security.Authentication;
using System.Text;

namespace Postern.Testing.Smtp;

/// <summary>One connection's dialogue with a <see cref="SmtpSink"/>: reads commands, answers as the sink's options say, records what it takes.</summary>
internal sealed class SinkSession(SmtpSink sink, Stream network)
{
    private readonly List<string> _held = [];
    private Stream _stream = network;
    private SinkLineReader _reader = new(network);
    private bool _tls;
    private string? _user;
    private string? _mailFrom;
    private List<string> _recipients = [];

    private SinkOptions Options => sink.Options;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await WriteAsync("220 sink.test ESMTP", cancellationToken);
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            sink.Record(line);
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

    /// <summary>Answers one command; false ends the session.</summary>
    private async Task<bool> HandleAsync(string line, CancellationToken cancellationToken)
    {
        var verb = (line.Split(' ', 2)[0].Split(':')[0]).ToUpperInvariant();
        switch (verb)
        {
            case "EHLO":
                await WriteAsync(Options.EhloReply(_tls), cancellationToken);
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
                return await DataAsync(cancellationToken);
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
            sink.ClientCertificateSubject = certificate.Subject;
        }
        sink.SawTls = true;
        _stream = tls;
        _reader = new SinkLineReader(tls);
        _tls = true;
        _mailFrom = null;
        _recipients = [];
    }

    private async Task AuthAsync(string line, CancellationToken cancellationToken)
    {
        switch (await new SinkAuthenticator(Options, ChallengeAsync).VerifyAsync(line, cancellationToken))
        {
            case null:
                await WriteAsync("504 5.5.4 Unrecognized authentication type", cancellationToken);
                break;
            case true:
                _user = Options.User;
                await WriteAsync("235 2.7.0 Authentication successful", cancellationToken);
                break;
            case false:
                await WriteAsync("535 5.7.8 Authentication credentials invalid", cancellationToken);
                break;
        }
    }

    private async Task<string> ChallengeAsync(string challenge, CancellationToken cancellationToken)
    {
        await WriteAsync("334 " + challenge, cancellationToken);
        var line = await _reader.ReadLineAsync(cancellationToken) ?? throw new IOException("sink: end of stream in AUTH");
        sink.Record(line);
        return line;
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

    /// <summary>DATA through to its final reply; false when a freeze swallowed the reply and the client has gone.</summary>
    private async Task<bool> DataAsync(CancellationToken cancellationToken)
    {
        if (Options.DataCommandReply is { } reply)
        {
            await WriteAsync(reply, cancellationToken);
            return true;
        }
        if (_mailFrom is null || _recipients.Count == 0)
        {
            await WriteAsync("554 5.5.1 No valid recipients", cancellationToken);
            return true;
        }
        await WriteAsync("354 End data with <CR><LF>.<CR><LF>", cancellationToken);
        var data = await ReadDataAsync(cancellationToken);
        if (Options.BeforeFinalReply is { } wait)
        {
            await wait();
        }
        var final = Options.FinalReply;
        var message = new SinkMessage(_mailFrom, _recipients, data, _tls, _user);
        var answered = await sink.Hold.WaitAsync(
            () =>
            {
                if (final.StartsWith('2'))
                {
                    sink.Record(message);
                }
            },
            cancellationToken);
        if (!answered)
        {
            // Frozen: never answer; wait for the client to give up or die.
            while (await _reader.ReadRawLineAsync(cancellationToken) is not null)
            {
            }
            return false;
        }
        _mailFrom = null;
        _recipients = [];
        await WriteAsync(final, cancellationToken);
        return true;
    }

    /// <summary>The message up to the lone dot, dot-unstuffed, byte for byte.</summary>
    private async Task<byte[]> ReadDataAsync(CancellationToken cancellationToken)
    {
        var data = new MemoryStream();
        while (true)
        {
            var raw = await _reader.ReadRawLineAsync(cancellationToken) ?? throw new IOException("sink: end of stream in DATA");
            if (raw is [(byte)'.', (byte)'\r', (byte)'\n'])
            {
                return data.ToArray();
            }
            var skip = raw.Length > 0 && raw[0] == (byte)'.' ? 1 : 0;
            data.Write(raw, skip, raw.Length - skip);
        }
    }

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
