namespace Postern.Pki.Acme.Dns;

/// <summary>
/// Judges the server's answer to a signed update: it must be the answer to this request (ID, QR,
/// opcode), carry a TSIG by the same key that verifies over the request's MAC, and say NOERROR.
/// An unsigned answer counts only as a refusal (its RCODE is shown, but nothing it says is trusted
/// as success).
/// </summary>
internal static class DnsUpdateAnswer
{
    /// <summary>Null when the update was applied; else the reason, for one error line.</summary>
    public static string? Check(DnsMessage answer, int requestId, byte[] requestMac, TsigKey key, string zone, DateTimeOffset now)
    {
        if (!answer.IsResponse || answer.Id != requestId || answer.Opcode != DnsMessage.OpcodeUpdate)
        {
            return "the server's answer does not belong to the update (ID, QR or opcode differ)";
        }
        var tsig = Tsig.Find(answer);
        if (tsig is null)
        {
            return answer.ResponseCode == DnsResponseCodes.NoError
                ? "the server's answer is not signed with the TSIG key (is the key configured on the server?)"
                : DnsResponseCodes.Explain(answer.ResponseCode, 0, zone, key) + " (unsigned answer)";
        }
        if (tsig.Error != 0)
        {
            // BADKEY and BADSIG answers carry an empty MAC (RFC 8945 5.3.2): there is nothing to verify.
            return DnsResponseCodes.Explain(answer.ResponseCode, tsig.Error, zone, key);
        }
        var problem = Tsig.Verify(answer, tsig, requestMac, key, now);
        if (problem is not null)
        {
            return problem;
        }
        return answer.ResponseCode == DnsResponseCodes.NoError
            ? null
            : DnsResponseCodes.Explain(answer.ResponseCode, 0, zone, key);
    }
}
