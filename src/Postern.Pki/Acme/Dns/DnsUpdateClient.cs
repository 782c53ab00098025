using System.Net;
using System.Security.Cryptography;

namespace Postern.Pki.Acme.Dns;

/// <summary>
/// Sends TSIG-signed RFC 2136 updates to the zone's primary and accepts only an answer that
/// verifies with the same key and says NOERROR.
/// </summary>
internal sealed class DnsUpdateClient(IPEndPoint server, TsigKey key, TimeProvider time)
{
    private readonly DnsTransport _transport = new(server, time);

    public IPEndPoint Server => server;

    public Task AddTxtAsync(string zone, string owner, string text, CancellationToken cancellationToken) =>
        SendAsync(id => DnsUpdateMessage.AddTxt(id, zone, owner, text), zone, cancellationToken);

    public Task DeleteTxtAsync(string zone, string owner, string text, CancellationToken cancellationToken) =>
        SendAsync(id => DnsUpdateMessage.DeleteTxt(id, zone, owner, text), zone, cancellationToken);

    private async Task SendAsync(Func<int, byte[]> build, string zone, CancellationToken cancellationToken)
    {
        var id = RandomNumberGenerator.GetInt32(0, 0x10000);
        var (request, mac) = Tsig.Sign(build(id), key, time.GetUtcNow());
        var wire = await _transport.ExchangeAsync(request, cancellationToken);
        string? problem;
        try
        {
            problem = DnsUpdateAnswer.Check(DnsMessageReader.Read(wire), id, mac, key, zone, time.GetUtcNow());
        }
        catch (DnsFormatException e)
        {
            throw new DnsUpdateException($"{server} answered with a malformed message: {e.Message}", e);
        }
        if (problem is not null)
        {
            throw new DnsUpdateException(problem);
        }
    }
}
