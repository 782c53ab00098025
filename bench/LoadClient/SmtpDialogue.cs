using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postern.Bench;

/// <summary>
/// One SMTP client dialogue over a blocking TCP connection that may be upgraded to TLS. Every
/// read and write is bounded by the socket's timeouts (which OpenSSL's reads and writes obey too).
/// </summary>
internal sealed class SmtpDialogue : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[4096];
    private IntPtr _ssl;
    private int _start;
    private int _end;

    private SmtpDialogue(Socket socket) => _socket = socket;

    public static SmtpDialogue Connect(int port, TimeSpan timeout)
    {
        var milliseconds = (int)timeout.TotalMilliseconds;
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            ReceiveTimeout = milliseconds,
            SendTimeout = milliseconds,
        };
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            return new SmtpDialogue(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether the TLS handshake resumed the offered session.</summary>
    public bool Resumed => _ssl != IntPtr.Zero && OpenSsl.SessionReused(_ssl) == 1;

    /// <summary>The TLS handshake as client, offering <paramref name="session"/> if given.</summary>
    public void StartTls(TlsClientContext context, TlsSession? session)
    {
        if (_start != _end)
        {
            throw new InvalidDataException("the server sent data after its STARTTLS reply");
        }
        _ssl = OpenSsl.New(context.Handle);
        if (_ssl == IntPtr.Zero || OpenSsl.SetFd(_ssl, (int)_socket.Handle) != 1
            || (session is not null && OpenSsl.SetSession(_ssl, session.Handle) != 1))
        {
            throw new InvalidOperationException(OpenSsl.LastError("SSL setup", 0));
        }
        var result = OpenSsl.Connect(_ssl);
        if (result != 1)
        {
            throw new IOException(OpenSsl.LastError("TLS handshake", OpenSsl.GetError(_ssl, result)));
        }
    }

    /// <summary>
    /// After the server's QUIT reply: the dialogue ended in order, so the TLS session stays
    /// resumable (OpenSSL makes a session that was not shut down unresumable when it is freed).
    /// Returns it, for the next handshake to offer (TLS 1.3 tickets arrive after the handshake).
    /// </summary>
    public TlsSession EndInOrder()
    {
        OpenSsl.SetShutdown(_ssl, OpenSsl.SentShutdown);
        return new TlsSession(OpenSsl.GetSession(_ssl));
    }

    /// <summary>Sends a command line (with CRLF) and checks the reply's first digit.</summary>
    public void Command(byte[] line, int expectClass)
    {
        Write(line);
        Expect(expectClass, line);
    }

    public void Write(byte[] data)
    {
        if (_ssl == IntPtr.Zero)
        {
            _socket.Send(data);
            return;
        }
        var written = OpenSsl.Write(_ssl, ref data[0], data.Length);
        if (written != data.Length)
        {
            throw new IOException(OpenSsl.LastError("TLS write", OpenSsl.GetError(_ssl, written)));
        }
    }

    /// <summary>Reads one complete reply (the line whose 4th byte is a space) and checks its class.</summary>
    public void Expect(int expectClass, byte[] after)
    {
        var code = ReadReply();
        if (code / 100 != expectClass)
        {
            throw new InvalidDataException($"{Encoding.ASCII.GetString(after).TrimEnd()}: got {code}");
        }
    }

    private int ReadReply()
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var line = _buffer.AsSpan(_start, newline - _start);
                _start = newline + 1;
                if (line.Length >= 4 && line[3] == (byte)' ')
                {
                    return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
                }
                continue;
            }
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                throw new InvalidDataException("reply line longer than the buffer");
            }
            _end += Receive(_end, _buffer.Length - _end);
        }
    }

    private int Receive(int offset, int count)
    {
        int read;
        if (_ssl == IntPtr.Zero)
        {
            read = _socket.Receive(_buffer, offset, count, SocketFlags.None);
        }
        else
        {
            read = OpenSsl.Read(_ssl, ref _buffer[offset], count);
            if (read <= 0 && OpenSsl.GetError(_ssl, read) is var error && error != OpenSsl.ErrorZeroReturn)
            {
                throw new IOException(OpenSsl.LastError("TLS read", error));
            }
        }
        return read > 0 ? read : throw new EndOfStreamException("connection closed by the server");
    }

    public void Dispose()
    {
        if (_ssl != IntPtr.Zero)
        {
            OpenSsl.Free(_ssl);
            _ssl = IntPtr.Zero;
        }
        _socket.Dispose();
    }
}
