using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.Smtp;
using Postern.Protocol.Client;

namespace Postern.Delivery.Relay;

/// <summary>
/// The socket under one relay session: the first of the host's addresses that answers, and the
/// server's certificate as the TLS handshake saw it. The SMTP work (pipelined commands, bounded
/// replies, DATA, STARTTLS, deadlines) is <see cref="SmtpClientConnection"/>'s.
/// </summary>
internal sealed class RelayConnection : IAsyncDisposable
{
    private readonly SmtpClientConnection _connection;

    private RelayConnection(Socket socket, IPAddress address, TimeProvider time)
    {
        Address = address;
        LocalAddress = (socket.LocalEndPoint as IPEndPoint)?.Address;
        _connection = new SmtpClientConnection(new NetworkStream(socket, ownsSocket: true), time, timeout => "timed out after " + timeout);
    }

    public IPAddress Address { get; }

    /// <summary>This side's address (TLS-RPT's sending-mta-ip).</summary>
    public IPAddress? LocalAddress { get; }

    public SslStream? Tls => _connection.Tls;

    public X509Certificate2? ServerCertificate { get; private set; }

    public IReadOnlyCollection<X509Certificate2> ServerIntermediates { get; private set; } = [];

    /// <summary>Connects to the first address that answers; throws the last error when none does.</summary>
    public static async ValueTask<RelayConnection> ConnectAsync(RelayHost host, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var address in host.Addresses)
        {
            try
            {
                var socket = await SmtpClientConnection.ConnectAsync(new IPEndPoint(address, host.Port), timeout, time, cancellationToken);
                return new RelayConnection(socket, address, time);
            }
            catch (TimeoutException)
            {
                last = new TimeoutException($"[{address}]: connect timed out");
            }
            catch (SocketException e)
            {
                last = new IOException($"[{address}]: {e.Message}", e);
            }
        }
        throw last ?? new IOException("no addresses");
    }

    public void Queue(string line) => _connection.Queue(line);

    public ValueTask FlushAsync(TimeSpan timeout, CancellationToken cancellationToken) => _connection.FlushAsync(timeout, cancellationToken);

    public ValueTask<SmtpReply> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken) => _connection.ReadAsync(timeout, cancellationToken);

    /// <summary>Streams the body in DATA form and flushes.</summary>
    public ValueTask<long> WriteDataAsync(Stream body, TimeSpan timeout, CancellationToken cancellationToken) =>
        _connection.WriteDataAsync(body, timeout, cancellationToken);

    /// <summary>
    /// The TLS handshake after 220 to STARTTLS (data the server sent after its 220 ends the
    /// session). The server's certificate and chain are kept; whether they pass is VerifyServer's
    /// verdict, after the handshake.
    /// </summary>
    public async ValueTask StartTlsAsync(SslClientAuthenticationOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
        {
            if (certificate is not null)
            {
                var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                ServerCertificate = leaf;
                ServerIntermediates = chain is null
                    ? []
                    : [.. chain.ChainPolicy.ExtraStore.Where(c => !c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))];
            }
            // The verdict is VerifyServer's, after the handshake.
            return true;
        };
        await _connection.StartTlsAsync(options, timeout, cancellationToken);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
