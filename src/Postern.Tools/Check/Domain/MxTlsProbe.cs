using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Tools.Check.Domain;

/// <summary>
/// One STARTTLS session with an MX host, as delivery would open it: each address in turn until
/// one answers, greeting, EHLO, STARTTLS with the MX host name as SNI, the chain verified for that
/// name (PKIX: the system store or --ca). No mail command is sent; QUIT ends it. The chain is kept
/// (<see cref="Outcome.Leaf"/>) for the TLSA comparison.
/// </summary>
internal sealed class MxTlsProbe(CheckRequest template, TimeProvider time)
{
    /// <summary>The facts for the report, and the certificates the server sent (null leaf when none).</summary>
    public sealed record Outcome(MxTlsFacts Facts, X509Certificate2? Leaf, IReadOnlyList<X509Certificate2> Intermediates);

    public async Task<Outcome> ProbeAsync(string hostName, IReadOnlyList<IPAddress> addresses, int port, CancellationToken cancellationToken)
    {
        string? lastError = null;
        foreach (var address in addresses)
        {
            ProbeConnection connection;
            try
            {
                connection = await ProbeConnection.ConnectAsync(new CheckTarget(address.ToString(), port), template.Timeout, time, cancellationToken);
            }
            catch (Exception e) when (e is IOException or TimeoutException or SocketException)
            {
                lastError = e.Message;
                continue;
            }
            await using (connection)
            {
                return await ConverseAsync(connection, hostName, address, port, cancellationToken);
            }
        }
        return new Outcome(new MxTlsFacts { Address = addresses.Count > 0 ? Literal(addresses[^1], port) : "", Error = lastError ?? "no address" }, null, []);
    }

    private async Task<Outcome> ConverseAsync(ProbeConnection connection, string hostName, IPAddress address, int port, CancellationToken cancellationToken)
    {
        var facts = new MxTlsFacts { Address = Literal(address, port) };
        try
        {
            var greeting = await connection.ReadAsync(cancellationToken);
            if (greeting.Code != 220)
            {
                return new Outcome(facts with { Error = "greeting: " + ReplyFacts.From(greeting) }, null, []);
            }
            var ehlo = CheckSession.Ehlo(await connection.CommandAsync("EHLO " + template.HeloName, cancellationToken));
            if (!ehlo.Succeeded || !ehlo.StartTls)
            {
                await QuitAsync(connection, cancellationToken);
                return new Outcome(facts with { Error = ehlo.Succeeded ? "STARTTLS not offered" : "EHLO: " + ehlo.Reply }, null, []);
            }
            facts = facts with { StartTlsOffered = true };
            var reply = await connection.CommandAsync("STARTTLS", cancellationToken);
            if (reply.Code != 220)
            {
                return new Outcome(facts with { Error = "STARTTLS refused: " + ReplyFacts.From(reply) }, null, []);
            }
            var observer = new TlsObserver(hostName, SslProtocols.Tls12 | SslProtocols.Tls13, null);
            var tls = await connection.StartTlsAsync(observer.Options, cancellationToken);
            var request = template with { Target = new CheckTarget(hostName, port), ServerName = hostName };
            var chain = ChainFacts.Describe("STARTTLS", tls, observer, request, time.GetUtcNow());
            await QuitAsync(connection, cancellationToken);
            return new Outcome(
                facts with
                {
                    Protocol = chain.Protocol,
                    Cipher = chain.Cipher,
                    Chain = chain.Chain,
                    PkixVerified = chain.Verified,
                    PkixProblem = chain.VerifyProblem,
                    NameMatches = chain.NameMatches,
                },
                observer.Leaf,
                observer.Intermediates);
        }
        catch (Exception e) when (e is IOException or TimeoutException or AuthenticationException)
        {
            return new Outcome(facts with { Error = e.InnerException?.Message ?? e.Message }, null, []);
        }
    }

    private static async Task QuitAsync(ProbeConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.CommandAsync("QUIT", cancellationToken);
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            // The server may hang up first; the probe is over either way.
        }
    }

    private static string Literal(IPAddress address, int port) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
}
