namespace Postern.Fuzz.Seeds;

/// <summary>Seeds for the dns-01 targets: knotd's captured answers and key files in both forms.</summary>
internal static class DnsSeeds
{
    /// <summary>Every answer knotd gave in the knsupdate capture (tests/Postern.Tests/TestData/Acme/Knsupdate).</summary>
    public static IEnumerable<byte[]> DnsAnswers(string repository) =>
        Directory.GetFiles(Path.Combine(repository, "tests", "Postern.Tests", "TestData", "Acme", "Knsupdate"), "*-response.bin")
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes);

    public static IEnumerable<byte[]> TsigKeyFiles()
    {
        yield return SeedCorpus.Bytes("key \"acme-update\" {\n\talgorithm hmac-sha256;\n\tsecret \"nH9H3oVPtZo6F9bQU4qKzn7+E4IkK7G4ob6pksET7Wo=\";\n};\n");
        yield return SeedCorpus.Bytes("/* ddns-confgen */\n// key\nkey acme { # inline\n secret \"AAAA\"; algorithm hmac-sha512.;\n};\n");
        yield return SeedCorpus.Bytes("# keymgr -t acme-key.\nhmac-sha256:acme-key.:nH9H3oVPtZo6F9bQU4qKzn7+E4IkK7G4ob6pksET7Wo=\n");
        yield return SeedCorpus.Bytes("key \"a\" {\n algorithm hmac-md5;\n secret \"AAAA\";\n};\nkey \"b\" { };\n");
    }
}
