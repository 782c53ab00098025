namespace Postern.Fuzz.Seeds;

/// <summary>Seeds for the ACME targets: server answers (one byte for the object, then the JSON as Let's Encrypt and pebble send it), knotd's captured dns-01 update answers, and TSIG key files in both forms.</summary>
internal static class AcmeSeeds
{
    public static IEnumerable<byte[]> Responses()
    {
        yield return Seed(0, """{"keyChange":"https://acme-v02.api.letsencrypt.org/acme/key-change","meta":{"caaIdentities":["letsencrypt.org"],"profiles":{"classic":"https://letsencrypt.org/docs/profiles#classic"},"termsOfService":"https://letsencrypt.org/documents/LE-SA-v1.5-February-24-2025.pdf","website":"https://letsencrypt.org"},"newAccount":"https://acme-v02.api.letsencrypt.org/acme/new-acct","newNonce":"https://acme-v02.api.letsencrypt.org/acme/new-nonce","newOrder":"https://acme-v02.api.letsencrypt.org/acme/new-order","renewalInfo":"https://acme-v02.api.letsencrypt.org/acme/renewal-info","revokeCert":"https://acme-v02.api.letsencrypt.org/acme/revoke-cert"}""");
        yield return Seed(0, """{"keyChange":"https://127.0.0.1:14000/rollover-account-key","meta":{"externalAccountRequired":false,"termsOfService":"data:text/plain,Do%20what%20thou%20wilt"},"newAccount":"https://127.0.0.1:14000/sign-me-up","newNonce":"https://127.0.0.1:14000/nonce-plz","newOrder":"https://127.0.0.1:14000/order-plz","revokeCert":"https://127.0.0.1:14000/revoke-cert"}""");
        yield return Seed(1, """{"status":"valid","contact":["mailto:postmaster@example.org"],"orders":"https://127.0.0.1:14000/list-orderz/1"}""");
        yield return Seed(2, """{"status":"pending","expires":"2026-12-08T14:30:00.123456789Z","identifiers":[{"type":"dns","value":"mail.example.org"}],"finalize":"https://127.0.0.1:14000/finalize-order/abc","authorizations":["https://127.0.0.1:14000/authZ/def"]}""");
        yield return Seed(2, """{"status":"valid","expires":"2026-12-08T14:30:00Z","identifiers":[{"type":"dns","value":"mail.example.org"}],"finalize":"https://acme.test/f/1","authorizations":["https://acme.test/a/1"],"certificate":"https://acme.test/cert/1"}""");
        yield return Seed(2, """{"status":"invalid","finalize":"https://acme.test/f/1","error":{"type":"urn:ietf:params:acme:error:unauthorized","detail":"Invalid response from http://mail.example.org/.well-known/acme-challenge/x: 404","status":403}}""");
        yield return Seed(3, """{"status":"pending","identifier":{"type":"dns","value":"mail.example.org"},"challenges":[{"type":"http-01","url":"https://127.0.0.1:14000/chalZ/1","token":"DGyRejmCefe7v4NfDGDKfA","status":"pending"},{"type":"tls-alpn-01","url":"https://127.0.0.1:14000/chalZ/2","token":"DGyRejmCefe7v4NfDGDKfA","status":"pending"},{"type":"dns-01","url":"https://127.0.0.1:14000/chalZ/3","token":"DGyRejmCefe7v4NfDGDKfA","status":"pending"}],"expires":"2026-12-07T15:30:00Z"}""");
        yield return Seed(3, """{"status":"valid","identifier":{"type":"dns","value":"example.org"},"wildcard":true,"challenges":[{"type":"dns-01","url":"https://acme.test/c/1","token":"tok","status":"valid","validated":"2026-12-07T10:00:00Z"}]}""");
        yield return Seed(4, """{"type":"http-01","url":"https://acme.test/c/1","status":"invalid","token":"tok","error":{"type":"urn:ietf:params:acme:error:connection","detail":"Connection refused","status":400}}""");
        yield return Seed(5, """{"type":"urn:ietf:params:acme:error:rateLimited","detail":"too many certificates (5) already issued for this exact set of identifiers in the last 168h0m0s","status":429}""");
        yield return Seed(5, """{"type":"urn:ietf:params:acme:error:malformed","detail":"Some identifiers were rejected","status":400,"subproblems":[{"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"forbidden","identifier":{"type":"dns","value":"bad.example"}}]}""");
        yield return Seed(6, """{"suggestedWindow":{"start":"2026-11-01T00:00:00Z","end":"2026-11-03T00:00:00Z"},"explanationURL":"https://acme.test/docs/ari"}""");
    }

    private static byte[] Seed(byte kind, string json) => [kind, .. SeedCorpus.Bytes(json)];

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
