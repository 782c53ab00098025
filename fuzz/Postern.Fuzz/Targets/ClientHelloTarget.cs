using System.Security.Authentication;
using Postern.Core.Tls;
using Postern.Server.Tls;

namespace Postern.Fuzz.Targets;

/// <summary>
/// The ClientHello parser the server runs on every client's first TLS record, before the handshake
/// (supported_versions, signature_algorithms, cipher suites). It never throws; an unreadable hello
/// is exactly <see cref="ClientHelloFacts.Unknown"/>; it offers TLS 1.2, or 1.2 and 1.3, nothing
/// else; and bytes after the record never change what the record says.
/// </summary>
internal static class ClientHelloTarget
{
    public static void Run(byte[] input)
    {
        var facts = ClientHelloParser.Parse(input);
        FuzzInvariantException.Require(
            facts.Protocols is SslProtocols.Tls12 or (SslProtocols.Tls12 | SslProtocols.Tls13), $"offers TLS 1.2 or 1.2 and 1.3, got {facts.Protocols}");
        FuzzInvariantException.Require(facts.AcceptsEcdsa is not null || facts == ClientHelloFacts.Unknown, "an unreadable hello is Unknown");
        var trailing = new byte[input.Length + 7];
        input.CopyTo(trailing, 0);
        if (facts.AcceptsEcdsa is not null)
        {
            FuzzInvariantException.Require(ClientHelloParser.Parse(trailing) == facts, "bytes after the record change nothing");
        }
    }
}
