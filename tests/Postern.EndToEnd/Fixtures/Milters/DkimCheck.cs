namespace Postern.EndToEnd.Fixtures.Milters;

/// <summary>
/// Verifies a message's DKIM signatures with Debian's python3-dkim (dkim.verify, every
/// signature), the public keys coming from a dictionary instead of DNS: an independent verifier
/// for what OpenDKIM or Postern signed.
/// </summary>
public static class DkimCheck
{
    private const string Script = """
        import sys, dkim
        records = {}
        for line in open(sys.argv[2], encoding="ascii"):
            name, _, value = line.rstrip("\n").partition(" ")
            records[name.lower()] = value
        def dns(name, timeout=5):
            return records.get(name.decode("ascii").rstrip(".").lower(), "").encode("ascii") or None
        message = open(sys.argv[1], "rb").read()
        d = dkim.DKIM(message)
        count = len([h for h in d.headers if h[0].lower() == b"dkim-signature"])
        ok = count > 0 and all(d.verify(idx=i, dnsfunc=dns) for i in range(count))
        print(f"signatures={count} verified={ok}")
        sys.exit(0 if ok else 1)
        """;

    /// <summary>True when the message has at least one DKIM-Signature and every one verifies; the output says how many.</summary>
    public static async Task<(bool Verified, string Output)> VerifyAsync(byte[] message, IReadOnlyDictionary<string, string> keyRecords)
    {
        var directory = Path.Combine(Path.GetTempPath(), "postern-dkimcheck-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        try
        {
            var messageFile = Path.Combine(directory, "message.eml");
            var keysFile = Path.Combine(directory, "keys");
            await File.WriteAllBytesAsync(messageFile, message);
            await File.WriteAllLinesAsync(keysFile, keyRecords.Select(r => r.Key + " " + r.Value));
            // Debian's python3-dkim is a module of Debian's python, not of the python3 first on PATH.
            var (code, output) = await ExternalCommand.RunAsync("/usr/bin/python3", "-c", Script, messageFile, keysFile);
            return (code == 0, output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
