namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// Issue 5's certificate cases against <see cref="CertificateHub"/> with the CERTISSUER RELAY entry
/// for Joe's CA, and the checks every client's result must pass: Joe User's certificate relays to
/// the sink; a forgery with the same DNs from an impostor CA of the same name, a certificate from
/// another CA, a self-signed one naming Joe's CA as issuer, an expired one from Joe's CA and none
/// at all are refused, and nothing of theirs is queued or reaches the sink.
/// </summary>
public static class CertificateCases
{
    public const string Recipient = "someone@" + CertificateHub.RemoteDomain;

    /// <summary>Certificate file stem ("" for none), and the verify word Postern logs for it.</summary>
    public static TheoryData<string, string> All => new()
    {
        { "client", "OK" },
        { "forged", "FAIL" },
        { "stranger", "FAIL" },
        { "selfsigned", "FAIL" },
        { "expired", "FAIL" },
        { "", "NO" },
    };

    public static Task<CertificateHub> StartHubAsync(TestPki pki) => CertificateHub.StartAsync(pki, "client.pem");

    /// <summary>
    /// A refusal: 550 5.7.1 for the recipient with <paramref name="verify"/> logged, or (accepted
    /// for bad chains only) the TLS handshake refused before any command; either way no message was
    /// queued and the sink got nothing.
    /// </summary>
    public static async Task AssertRefusedAsync(CertificateHub hub, string? rcptReply, string verify, string transcript)
    {
        if (rcptReply is null)
        {
            Assert.True(verify != "OK" && verify != "NO", "the session broke although nothing was wrong with it:\n" + transcript + "\npostern log:\n" + hub.Postern.Log);
            await hub.Postern.WaitForLogAsync(l => l.Contains("TLS handshake", StringComparison.OrdinalIgnoreCase) || l.Contains("verify=" + verify + ",", StringComparison.Ordinal));
        }
        else
        {
            Assert.True(rcptReply.StartsWith("550 5.7.1 ", StringComparison.Ordinal), transcript);
            Assert.Contains("Relaying denied", rcptReply, StringComparison.Ordinal);
            await hub.AssertRefusedAsync(Recipient, verify);
        }
        Assert.DoesNotContain(": from=<", hub.Postern.Log, StringComparison.Ordinal);
        await AssertQueueEmptyAsync(hub);
        Assert.Empty(hub.Sink.Delivered);
    }

    public static async Task AssertQueueEmptyAsync(CertificateHub hub)
    {
        var (code, list) = await Binary.RunAsync("queue", "list", "--config", hub.Postern.ConfigPath!, "--data-dir", hub.Postern.DataDir);
        Assert.True(code == 0, list);
        Assert.Equal("Mail queue is empty", list.Trim());
    }
}
