using System.Globalization;
using System.Text;

namespace Postern.EndToEnd.Fixtures.Dnssec;

/// <summary>
/// One DNS zone written as a zone file for nsd, signed at test time with Debian's ldnsutils
/// (<c>ldns-keygen</c>: an ECDSA P-256 KSK and ZSK; <c>ldns-signzone</c>: NSEC, signatures valid
/// for four weeks from now) or left unsigned. The signatures of chosen RRsets can be broken after
/// signing (one character of the signature changed), so a validating resolver finds them bogus.
/// </summary>
public sealed class SignedZone
{
    private const string Algorithm = "ECDSAP256SHA256";
    private const string Ttl = "300";

    private SignedZone(string origin, string file, string? trustAnchorFile, string? dsRecord)
    {
        Origin = origin;
        File = file;
        TrustAnchorFile = trustAnchorFile;
        DsRecord = dsRecord;
    }

    /// <summary>The zone's name without the trailing dot (<c>e2e.test</c>).</summary>
    public string Origin { get; }

    /// <summary>The zone file nsd serves.</summary>
    public string File { get; }

    /// <summary>The KSK's DNSKEY record (ldns-keygen's .key file): a trust anchor for unbound; null when unsigned.</summary>
    public string? TrustAnchorFile { get; }

    /// <summary>The DS record for the parent zone (<c>name. 300 IN DS ...</c>); null when unsigned.</summary>
    public string? DsRecord { get; }

    /// <summary>
    /// Writes the zone <paramref name="origin"/> (SOA, NS ns.<paramref name="nameServerZone"/>, then
    /// <paramref name="records"/>, zone-file lines with absolute owner names) into
    /// <paramref name="directory"/>, signs it when <paramref name="sign"/>, and breaks the signature
    /// of every RRset <paramref name="breakSignature"/> picks (owner with the trailing dot, type).
    /// </summary>
    public static async Task<SignedZone> CreateAsync(string directory, string origin, string nameServerZone, IEnumerable<string> records,
        bool sign = true, Func<string, string, bool>? breakSignature = null)
    {
        var zoneFile = Path.Combine(directory, origin + ".zone");
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"$TTL {Ttl}\n")
            .Append(CultureInfo.InvariantCulture, $"{origin}. SOA ns.{nameServerZone}. hostmaster.{nameServerZone}. 1 3600 600 86400 {Ttl}\n")
            .Append(CultureInfo.InvariantCulture, $"{origin}. NS ns.{nameServerZone}.\n");
        foreach (var record in records)
        {
            text.Append(record).Append('\n');
        }
        await System.IO.File.WriteAllTextAsync(zoneFile, text.ToString());
        if (!sign)
        {
            return new SignedZone(origin, zoneFile, null, null);
        }

        var ksk = Path.Combine(directory, await LdnsAsync(directory, "ldns-keygen", "-a", Algorithm, "-k", origin));
        var zsk = Path.Combine(directory, await LdnsAsync(directory, "ldns-keygen", "-a", Algorithm, origin));
        var signedFile = zoneFile + ".signed";
        await LdnsAsync(directory, "ldns-signzone", "-o", origin + ".", "-f", signedFile, zoneFile, ksk, zsk);
        if (breakSignature is not null)
        {
            var lines = (await System.IO.File.ReadAllLinesAsync(signedFile)).Select(line => BreakIfPicked(line, breakSignature));
            await System.IO.File.WriteAllLinesAsync(signedFile, lines);
        }
        // ldns-keygen's .ds file: "name.<TAB>IN<TAB>DS<TAB>tag alg 2 hex" (SHA-256), sometimes with a comment.
        var ds = (await System.IO.File.ReadAllTextAsync(ksk + ".ds")).Split(';')[0].Trim().Split('\t', StringSplitOptions.RemoveEmptyEntries);
        return new SignedZone(origin, signedFile, ksk + ".key", $"{ds[0]} {Ttl} IN DS {ds[^1]}");
    }

    // A signed zone line is "owner<TAB>ttl<TAB>IN<TAB>RRSIG<TAB>TYPE alg labels ttl exp inc tag signer SIGNATURE".
    private static string BreakIfPicked(string line, Func<string, string, bool> breakSignature)
    {
        var fields = line.Split('\t');
        if (fields.Length < 5 || fields[3] != "RRSIG")
        {
            return line;
        }
        var data = fields[4].Split(' ');
        if (!breakSignature(fields[0], data[0]))
        {
            return line;
        }
        var signature = data[^1];
        data[^1] = (signature[0] == 'A' ? 'B' : 'A') + signature[1..];
        fields[4] = string.Join(' ', data);
        return string.Join('\t', fields);
    }

    // Runs an ldns tool in the zone's directory (ldns-keygen writes its key files to the working directory) and returns its trimmed stdout.
    private static async Task<string> LdnsAsync(string directory, string tool, params string[] arguments)
    {
        var path = "/usr/bin/" + tool;
        if (!System.IO.File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: install the Debian package ldnsutils (./test.sh does)");
        }
        var (code, output) = await ExternalCommand.RunAsync("sh", ["-c", "cd \"$0\" && exec \"$@\"", directory, path, .. arguments]);
        if (code != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)}: {output}");
        }
        // ExternalCommand's output: "exit 0\n" + stdout + "\n" + stderr.
        return output["exit 0\n".Length..].Split('\n')[0].Trim();
    }
}
