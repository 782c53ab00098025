using System.Globalization;

namespace Postern.EndToEnd.Fixtures;

/// <summary>swaks as the seeds' laptop: STARTTLS, optionally with a client certificate, one message.</summary>
public static class Swaks
{
    /// <summary>
    /// Sends one message with an X-Token header through STARTTLS, presenting
    /// <c>pki[certificate].pem/.key</c> unless <paramref name="certificate"/> is empty. Returns
    /// swaks's exit code and transcript.
    /// </summary>
    public static Task<(int Code, string Transcript)> SendAsync(TestPki pki, int port, string certificate, string sender, string recipient, string token)
    {
        List<string> arguments =
        [
            "--server", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--ehlo", "laptop.test",
            "--from", sender, "--to", recipient, "--tls", "--timeout", "30",
            "--add-header", "X-Token: " + token, "--header", "Subject: swaks " + token, "--body", "relayed by certificate",
        ];
        if (certificate.Length > 0)
        {
            arguments.AddRange(["--tls-cert", pki[certificate + ".pem"], "--tls-key", pki[certificate + ".key"]]);
        }
        return ExternalCommand.RunAsync("swaks", [.. arguments]);
    }
}
