using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postern.EndToEnd.Fixtures;

/// <summary>A bare SMTP client for tests that need exact control over the bytes and timing.</summary>
public sealed class RawSmtpClient : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private RawSmtpClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = new StreamReader(_stream, Encoding.UTF8);
    }

    /// <summary>Connects to <paramref name="endPoint"/>, from the loopback address <paramref name="from"/> when given (127.0.0.2...).</summary>
    public static async Task<RawSmtpClient> ConnectAsync(IPEndPoint endPoint, IPAddress? from = null)
    {
        var client = new TcpClient(endPoint.AddressFamily);
        if (from is not null)
        {
            client.Client.Bind(new IPEndPoint(from, 0));
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(endPoint, timeout.Token);
        return new RawSmtpClient(client);
    }

    public async Task SendAsync(string raw)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(raw));
    }

    /// <summary>Reads one whole reply; null when the server closed the connection.</summary>
    public async Task<string?> ReadReplyAsync(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(30));
        var lines = new List<string>();
        while (true)
        {
            var line = await _reader.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                return lines.Count == 0 ? null : string.Join('\n', lines);
            }
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                return string.Join('\n', lines);
            }
        }
    }

    public async Task<string> CommandAsync(string command)
    {
        await SendAsync(command + "\r\n");
        return await ReadReplyAsync() ?? throw new IOException("server closed the connection after " + command);
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
