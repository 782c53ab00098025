using Postern.Pki.Acme.Dns;

namespace Postern.Fuzz.Targets;

/// <summary>
/// What a DNS server sends back to a dns-01 update: the message reader, then the answer check
/// (ID, opcode, the TSIG record, its MAC over the request's MAC, the RCODE) with the key and
/// request of the knsupdate capture the seeds come from. A malformed message is a
/// <see cref="DnsFormatException"/>, nothing else; an answer is taken as success only when it is
/// a signed NOERROR response whose records all lie inside the message.
/// </summary>
internal static class DnsAnswerTarget
{
    /// <summary>The capture's key (tests/Postern.Tests/TestData/Acme/Knsupdate/key.txt), so the seeds verify.</summary>
    private static readonly TsigKey Key = new("acme-key.", TsigAlgorithm.HmacSha256, Convert.FromBase64String("nH9H3oVPtZo6F9bQU4qKzn7+E4IkK7G4ob6pksET7Wo="));

    /// <summary>The MAC of the captured add request (add-request.bin), ID 0xab09.</summary>
    private static readonly byte[] RequestMac = Convert.FromHexString("C569486A163C01D33961750DADAF415ACB2CC30B6A867CDC9F0C93D008CE5204");

    public static void Run(byte[] input)
    {
        DnsMessage message;
        try
        {
            message = DnsMessageReader.Read(input);
        }
        catch (DnsFormatException)
        {
            return;
        }
        foreach (var record in message.Answers.Concat(message.Authorities).Concat(message.Additionals))
        {
            FuzzInvariantException.Require(record.Offset >= 12 && record.Offset < record.DataOffset && record.DataOffset + record.Data.Length <= input.Length, "a record lies inside the message");
            FuzzInvariantException.Require(record.Name.Length is > 0 and <= 4 * 255, "a name is at most 255 octets, escaped");
        }
        string? problem;
        try
        {
            problem = DnsUpdateAnswer.Check(message, message.Id, RequestMac, Key, "example.test", DateTimeOffset.FromUnixTimeSeconds(1796653839));
        }
        catch (DnsFormatException)
        {
            return;
        }
        if (problem is null)
        {
            FuzzInvariantException.Require(message.IsResponse && message.ResponseCode == 0, "success is a NOERROR response");
            FuzzInvariantException.Require(Tsig.Find(message) is { Error: 0 }, "success is signed");
        }
        else
        {
            FuzzInvariantException.Require(problem.Length > 0 && !problem.Contains('\n', StringComparison.Ordinal), "a refusal is one line");
        }
    }
}
