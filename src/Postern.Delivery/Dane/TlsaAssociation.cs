using System.Globalization;

namespace Postern.Delivery.Dane;

/// <summary>
/// One TLSA record (RFC 6698 2.1): certificate usage (0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA,
/// 3 DANE-EE), selector (0 full certificate, 1 SubjectPublicKeyInfo), matching type (0 exact,
/// 1 SHA-256, 2 SHA-512) and the association data.
/// </summary>
public sealed record TlsaAssociation(byte Usage, byte Selector, byte MatchingType, ReadOnlyMemory<byte> Data)
{
    public const byte PkixTa = 0;
    public const byte PkixEe = 1;
    public const byte DaneTa = 2;
    public const byte DaneEe = 3;

    /// <summary>
    /// Usable for SMTP (RFC 7672 3.1): DANE-TA or DANE-EE with a known selector and matching type;
    /// PKIX usages are ignored for SMTP.
    /// </summary>
    public bool IsUsable => Usage is DaneTa or DaneEe && Selector <= 1 && MatchingType <= 2;

    /// <summary>Presentation form, "3 1 1 ABCD...", as TLS-RPT's policy-string and the log show it.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Usage} {Selector} {MatchingType} {Convert.ToHexString(Data.Span)}");
}
