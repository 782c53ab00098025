namespace Postern.Pki.Acme.Dns;

/// <summary>RCODEs and TSIG errors (RFC 1035 4.1.1, RFC 2136 2.2, RFC 8945 3) as words and as what they mean for an update.</summary>
internal static class DnsResponseCodes
{
    public const int NoError = 0;

    public static string Name(int code) => code switch
    {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        Tsig.ErrorBadSig => "BADSIG",
        Tsig.ErrorBadKey => "BADKEY",
        Tsig.ErrorBadTime => "BADTIME",
        Tsig.ErrorBadTrunc => "BADTRUNC",
        _ => "RCODE " + code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Why an update with <paramref name="key"/> to <paramref name="zone"/> failed, in words an administrator can act on.</summary>
    public static string Explain(int rcode, int tsigError, string zone, TsigKey key) => (rcode, tsigError) switch
    {
        (_, Tsig.ErrorBadKey) => $"NOTAUTH/BADKEY: the server does not accept the TSIG key {key} for {zone} (an unknown key name or algorithm, or the zone's update ACL does not name the key)",
        (_, Tsig.ErrorBadSig) => $"NOTAUTH/BADSIG: the server rejects the signature of key {key} (a different secret?)",
        (_, Tsig.ErrorBadTime) => "NOTAUTH/BADTIME: the server's clock and this host's differ by more than " + Tsig.Fudge + " s",
        (_, Tsig.ErrorBadTrunc) => "NOTAUTH/BADTRUNC: the server refused the MAC length",
        (5, _) => $"REFUSED: the server does not allow key {key} to update {zone} (its update ACL)",
        (9, _) => $"NOTAUTH: the server is not authoritative for {zone}, or does not accept key {key}",
        (10, _) => $"NOTZONE: the record's name is not in {zone}",
        (4, _) => "NOTIMP: the server does not take dynamic updates",
        (2, _) => $"SERVFAIL: the server failed to apply the update to {zone} (see its log)",
        _ => Name(rcode) + (tsigError != 0 ? "/" + Name(tsigError) : ""),
    };
}
