using System.Text;
using System.Text.RegularExpressions;
using Postern.Fuzz.Targets;
using Postern.Protocol.Sasl.Client;
using Postern.Protocol.Sasl.Server;

namespace Postern.Fuzz.Seeds;

/// <summary>Seeds from the repository's sample files and a few made here.</summary>
internal static partial class SampleSeeds
{
    /// <summary>SASL exchanges in the sasl target's format: those the client mechanisms run (they succeed), and hand-made ones.</summary>
    public static IEnumerable<byte[]> SaslExchanges()
    {
        var credentials = new SaslClientCredentials(SaslUsers.Name, SaslUsers.Password);
        yield return Record(new PlainClientMechanism(credentials));
        yield return Record(new PlainClientMechanism(credentials with { AuthorizationId = "alice" }));
        yield return Record(new LoginClientMechanism(credentials));
        yield return Record(new CramMd5ClientMechanism(credentials));
        yield return Record(new ScramSha256ClientMechanism(credentials, "fuzz-client-nonce"));
        var digest = DigestMd5Digest.Compute(SaslUsers.Name, "mx.test", SaslUsers.Password, "OA6MG9tEQGm2hh", "OA6MHXh6VqTrRk", "00000001", "smtp/mx.test", null, serverProof: false);
        yield return SeedCorpus.Bytes("DIGEST-MD5\n\nusername=\"alice\",realm=\"mx.test\",nonce=\"OA6MG9tEQGm2hh\",cnonce=\"OA6MHXh6VqTrRk\",nc=00000001,qop=auth,digest-uri=\"smtp/mx.test\",response=" + digest + ",charset=utf-8\n\n");
        yield return SeedCorpus.Bytes("SCRAM-SHA-1\nn,,n=alice,r=abc\nc=biws,r=abcfuzz-server-nonce,p=AAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
        var binding = Convert.ToBase64String([.. "p=tls-exporter,,"u8, .. Enumerable.Repeat((byte)0x5E, 32)]);
        yield return SeedCorpus.Bytes("SCRAM-SHA-256-PLUS\np=tls-exporter,,n=alice,r=abc\nc=" + binding + ",r=abcfuzz-server-nonce,p=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
        yield return SeedCorpus.Bytes("SCRAM-SHA-1-PLUS\ny,,n=alice,r=abc\n");
        yield return SeedCorpus.Bytes("EXTERNAL\n\n\n");
        yield return SeedCorpus.Bytes("EXTERNAL\nalice\n");
        yield return SeedCorpus.Bytes("LOGIN\nalice\nwrong password\n");
        yield return SeedCorpus.Bytes("PLAIN\n\n\0nobody\0secret\n\n");
    }

    public static IEnumerable<byte[]> AccessMaps(string repository)
    {
        yield return File.ReadAllBytes(Path.Combine(repository, "tests", "Postern.Tests", "Policy", "Golden", "seeds.access"));
        foreach (var file in Directory.GetFiles(Path.Combine(repository, "tests", "Postern.Tests", "Tools", "Migration", "Seeds"), "*-access").Order(StringComparer.Ordinal))
        {
            yield return File.ReadAllBytes(file);
        }
    }

    public static IEnumerable<byte[]> AliasesFiles()
    {
        yield return SeedCorpus.Bytes("# aliases(5)\npostmaster: root\nroot: \\root, admin@example.org\nabuse: postmaster\n");
        yield return SeedCorpus.Bytes("staff: alice,\n  bob,\n\tcarol@example.net\nlist: :include:/etc/mail/list.txt\n");
        yield return SeedCorpus.Bytes("archive: /var/mail/archive\nticket: \"|/usr/local/bin/ticket --queue=mail\"\nlocal: \\alice\n");
        yield return SeedCorpus.Bytes("dup: a\nDUP: b\nbad name: c\nnovalue:\n");
    }

    /// <summary>The embedded default and every TOML example in the docs.</summary>
    public static IEnumerable<byte[]> Configurations(string repository)
    {
        yield return File.ReadAllBytes(Path.Combine(repository, "src", "Postern.Config", "default.toml"));
        foreach (var page in Directory.GetFiles(Path.Combine(repository, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            foreach (Match block in TomlBlock().Matches(File.ReadAllText(page)))
            {
                yield return SeedCorpus.Bytes(block.Groups[1].Value);
            }
        }
    }

    public static IEnumerable<byte[]> SpoolFiles() => SpoolSeeds.Files();

    /// <summary>
    /// The authres target's inputs: each distinct SPF record of the RFC 7208 suite cases (as served
    /// there, \xHH escapes kept as text), behind it a DMARC record, an Authentication-Results field
    /// and DKIM tags.
    /// </summary>
    public static IEnumerable<byte[]> AuthenticationRecords(string repository)
    {
        var cases = Path.Combine(repository, "tests", "Postern.Tests", "Filters", "Authentication", "Spf", "rfc7208.cases");
        return File.ReadLines(cases)
            .Select(line => line.Split('\t'))
            .Where(fields => fields is ["dns", _, "TXT", _, ..] && fields[3].StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase))
            .Select(fields => string.Concat(fields.Skip(3)))
            .Distinct(StringComparer.Ordinal)
            .Select(record => SeedCorpus.Bytes(record + "\nv=DMARC1; p=reject; sp=quarantine; adkim=s\nmx.example.org; spf=pass\nv=1; d=example.org; s=s1; a=rsa-sha256\n"));
    }

    [GeneratedRegex("```toml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex TomlBlock();

    /// <summary>One exchange in the sasl target's format: name, initial response (empty line: none), responses.</summary>
    private static byte[] Record(ISaslClientMechanism client)
    {
        var server = SaslTarget.Create(client.Name) ?? throw new InvalidOperationException("no server mechanism " + client.Name);
        var lines = new List<byte[]> { Encoding.ASCII.GetBytes(client.Name) };
        var response = client.InitialResponse();
        lines.Add(response ?? []);
        var step = server.StepAsync(response, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        for (var i = 0; i < 4 && step.Kind == SaslStepKind.Challenge; i++)
        {
            response = client.Respond(step.Challenge.Span);
            lines.Add(response);
            step = server.StepAsync(response, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        if (step.Kind != SaslStepKind.Success)
        {
            throw new InvalidOperationException(client.Name + " seed exchange did not succeed: " + step.Failure);
        }
        return [.. lines.SelectMany(line => (byte[])[.. line, (byte)'\n'])];
    }
}
