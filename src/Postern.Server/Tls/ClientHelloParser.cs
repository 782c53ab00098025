using System.Buffers.Binary;
using System.Security.Authentication;
using Postern.Core.Tls;

namespace Postern.Server.Tls;

/// <summary>
/// Reads <see cref="ClientHelloFacts"/> from a ClientHello (the first TLS record, as received): the
/// supported_versions extension (RFC 8446 4.2.1), the signature_algorithms extension (RFC 8446
/// 4.2.3, RFC 5246 7.4.1.4.1) and the cipher suites. Untrusted input: every length is checked, and
/// anything malformed, truncated or split over several records gives <see cref="ClientHelloFacts.Unknown"/>.
/// </summary>
internal static class ClientHelloParser
{
    private const byte HandshakeRecord = 22;
    private const byte ClientHello = 1;
    private const ushort SignatureAlgorithms = 13;
    private const ushort SupportedVersions = 43;
    private const ushort Tls13 = 0x0304;

    // The signature byte of a TLS 1.2 (hash, signature) pair, which TLS 1.3's ecdsa_secp*_sha* code points keep.
    private const byte EcdsaSignature = 3;

    // TLS_ECDHE_ECDSA_WITH_*: AES-CBC (C009, C00A, C023, C024), AES-GCM (C02B, C02C), AES-CCM (C0AC-C0AF), ChaCha20 (CCA9).
    private static readonly ushort[] EcdsaSuites = [0xC009, 0xC00A, 0xC023, 0xC024, 0xC02B, 0xC02C, 0xC0AC, 0xC0AD, 0xC0AE, 0xC0AF, 0xCCA9];

    public static ClientHelloFacts Parse(ReadOnlySpan<byte> record)
    {
        if (!TryBody(record, out var body))
        {
            return ClientHelloFacts.Unknown;
        }
        // legacy_version (2), random (32), session id, then the suites, compression methods, extensions.
        if (!Skip(ref body, 34) || !SkipVector(ref body, 1) || !ReadVector(ref body, 2, out var suites) || !SkipVector(ref body, 1))
        {
            return ClientHelloFacts.Unknown;
        }
        var offersTls13 = false;
        var ecdsaSignature = false;
        if (body.Length > 0)
        {
            if (!ReadVector(ref body, 2, out var extensions))
            {
                return ClientHelloFacts.Unknown;
            }
            while (extensions.Length > 0)
            {
                if (extensions.Length < 4 || !ReadExtension(ref extensions, out var type, out var data))
                {
                    return ClientHelloFacts.Unknown;
                }
                if (type == SupportedVersions)
                {
                    if (!TryOffersTls13(data, out offersTls13))
                    {
                        return ClientHelloFacts.Unknown;
                    }
                }
                else if (type == SignatureAlgorithms)
                {
                    if (!TryOffersEcdsa(data, out ecdsaSignature))
                    {
                        return ClientHelloFacts.Unknown;
                    }
                }
            }
        }
        // Without signature_algorithms a TLS 1.2 client takes RSA (RFC 5246 7.4.1.4.1's default is
        // the suite's own algorithm, and the RSA certificate is the safe one); with it, ECDSA needs
        // an ecdsa_* scheme, and under TLS 1.2 an ECDHE_ECDSA suite too.
        var acceptsEcdsa = ecdsaSignature && (offersTls13 || OffersEcdsaSuite(suites));
        return new ClientHelloFacts(offersTls13 ? SslProtocols.Tls12 | SslProtocols.Tls13 : SslProtocols.Tls12, acceptsEcdsa);
    }

    private static bool TryBody(ReadOnlySpan<byte> record, out ReadOnlySpan<byte> body)
    {
        body = default;
        if (record.Length < 5 || record[0] != HandshakeRecord)
        {
            return false;
        }
        var recordLength = BinaryPrimitives.ReadUInt16BigEndian(record[3..]);
        if (record.Length < 5 + recordLength)
        {
            return false;
        }
        var hello = record.Slice(5, recordLength);
        if (hello.Length < 4 || hello[0] != ClientHello)
        {
            return false;
        }
        var helloLength = (hello[1] << 16) | (hello[2] << 8) | hello[3];
        if (hello.Length < 4 + helloLength)
        {
            return false;
        }
        body = hello.Slice(4, helloLength);
        return true;
    }

    private static bool ReadExtension(ref ReadOnlySpan<byte> extensions, out ushort type, out ReadOnlySpan<byte> data)
    {
        type = BinaryPrimitives.ReadUInt16BigEndian(extensions);
        extensions = extensions[2..];
        return ReadVector(ref extensions, 2, out data);
    }

    // supported_versions: a 1-byte length, then 2-byte versions.
    private static bool TryOffersTls13(ReadOnlySpan<byte> data, out bool offers)
    {
        offers = false;
        if (!ReadVector(ref data, 1, out var versions) || data.Length != 0 || versions.Length % 2 != 0)
        {
            return false;
        }
        for (var i = 0; i < versions.Length; i += 2)
        {
            offers |= BinaryPrimitives.ReadUInt16BigEndian(versions[i..]) == Tls13;
        }
        return true;
    }

    // signature_algorithms: a 2-byte length, then 2-byte schemes; ecdsa_* are (hash 2..6, signature 3).
    private static bool TryOffersEcdsa(ReadOnlySpan<byte> data, out bool offers)
    {
        offers = false;
        if (!ReadVector(ref data, 2, out var schemes) || data.Length != 0 || schemes.Length % 2 != 0)
        {
            return false;
        }
        for (var i = 0; i < schemes.Length; i += 2)
        {
            offers |= schemes[i] is >= 2 and <= 6 && schemes[i + 1] == EcdsaSignature;
        }
        return true;
    }

    private static bool OffersEcdsaSuite(ReadOnlySpan<byte> suites)
    {
        for (var i = 0; i + 1 < suites.Length; i += 2)
        {
            if (EcdsaSuites.Contains(BinaryPrimitives.ReadUInt16BigEndian(suites[i..])))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Skip(ref ReadOnlySpan<byte> span, int count)
    {
        if (span.Length < count)
        {
            return false;
        }
        span = span[count..];
        return true;
    }

    private static bool SkipVector(ref ReadOnlySpan<byte> span, int prefix) => ReadVector(ref span, prefix, out _);

    // A vector with a 1- or 2-byte length prefix.
    private static bool ReadVector(ref ReadOnlySpan<byte> span, int prefix, out ReadOnlySpan<byte> content)
    {
        content = default;
        if (span.Length < prefix)
        {
            return false;
        }
        var length = prefix == 1 ? span[0] : BinaryPrimitives.ReadUInt16BigEndian(span);
        if (span.Length < prefix + length)
        {
            return false;
        }
        content = span.Slice(prefix, length);
        span = span[(prefix + length)..];
        return true;
    }
}
