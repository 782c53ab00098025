using System.Security.Cryptography;
using System.Text;

namespace Postern.Fuzz.Seeds;

/// <summary>
/// Writes fuzz/corpus/TARGET/ from what the repository already holds: the client side of every
/// dialog script, the sample access maps and configurations, and a few inputs made here (SASL
/// exchanges that succeed, aliases files, spool files, milter replies). File names are content hashes (dialog
/// streams keep their script's name), so writing again changes nothing unless a source changed.
/// </summary>
internal static class SeedCorpus
{
    public static int Write(string repository, TextWriter output)
    {
        var corpus = Path.Combine(repository, "fuzz", "corpus");
        var dialogs = Directory.GetFiles(Path.Combine(repository, "tests", "Postern.Tests", "Dialogs"), "*.dialog").Order(StringComparer.Ordinal)
            .Select(path => (Name: Path.GetFileNameWithoutExtension(path), Bytes: DialogClientBytes.Read(path)))
            .Where(d => d.Bytes.Length > 0)
            .ToList();
        var seeds = new Dictionary<string, List<(string? Name, byte[] Bytes)>>
        {
            ["command"] = [.. dialogs.Select(d => ((string?)d.Name, d.Bytes))],
            ["path"] = [.. DialogSeeds.PathArguments(dialogs.Select(d => d.Bytes)).Select(b => ((string?)null, b))],
            ["data"] = [.. dialogs.Select(d => DialogSeeds.After(d.Bytes, "DATA\r\n")).OfType<byte[]>().Select(b => ((string?)null, b))],
            ["bdat"] = [.. dialogs.Select(d => DialogSeeds.From(d.Bytes, "BDAT ")).OfType<byte[]>().Select(b => ((string?)null, b))],
            ["sasl"] = [.. SampleSeeds.SaslExchanges().Select(b => ((string?)null, b))],
            ["access"] = [.. SampleSeeds.AccessMaps(repository).Select(b => ((string?)null, b))],
            ["aliases"] = [.. SampleSeeds.AliasesFiles().Select(b => ((string?)null, b))],
            ["toml"] = [.. SampleSeeds.Configurations(repository).Select(b => ((string?)null, b))],
            ["spool"] = [.. SampleSeeds.SpoolFiles().Select(b => ((string?)null, b))],
            ["authres"] = [.. SampleSeeds.AuthenticationRecords(repository).Select(b => ((string?)null, b))],
            ["milter"] = [.. MilterSeeds.Replies().Select(b => ((string?)null, b))],
            ["dsn"] = [.. DialogSeeds.Bounces(dialogs.Select(d => d.Bytes)).Select(b => ((string?)null, b))],
            ["acme"] = [.. AcmeSeeds.Responses().Select(b => ((string?)null, b))],
            ["dnsanswer"] = [.. AcmeSeeds.DnsAnswers(repository).Select(b => ((string?)null, b))],
            ["tsigkey"] = [.. AcmeSeeds.TsigKeyFiles().Select(b => ((string?)null, b))],
            ["proxy"] = [.. ProxyHeaderBytes.Seeds().Select(b => ((string?)null, b))],
        };
        foreach (var target in FuzzTargets.All)
        {
            var folder = Path.Combine(corpus, target.Name);
            Directory.CreateDirectory(folder);
            var written = 0;
            foreach (var (name, bytes) in seeds.GetValueOrDefault(target.Name) ?? [])
            {
                var file = Path.Combine(folder, name ?? Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]);
                if (!File.Exists(file) || !File.ReadAllBytes(file).AsSpan().SequenceEqual(bytes))
                {
                    File.WriteAllBytes(file, bytes);
                }
                written++;
            }
            output.WriteLine($"{target.Name}: {written} seeds in {folder}");
        }
        return 0;
    }

    /// <summary>UTF-8 bytes of <paramref name="text"/>.</summary>
    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
