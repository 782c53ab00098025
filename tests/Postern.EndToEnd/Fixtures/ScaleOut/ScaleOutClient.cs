using System.Globalization;
using System.Net;
using System.Text;

namespace Postern.EndToEnd.Fixtures.ScaleOut;

/// <summary>The clients of the scale-out tests: each from its own loopback source address, every wait bounded.</summary>
public static class ScaleOutClient
{
    /// <summary>
    /// One message to <paramref name="recipient"/> over plain SMTP from <paramref name="source"/>,
    /// stopping at the first refusal. Returns whether the final 250 came, and the transcript.
    /// </summary>
    public static async Task<(bool Accepted, string Transcript)> SendAsync(IPEndPoint server, IPAddress source, string recipient, string messageId)
    {
        var transcript = new StringBuilder();
        await using var client = await RawSmtpClient.ConnectAsync(server, source);
        var greeting = await client.ReadReplyAsync(TimeSpan.FromSeconds(15));
        transcript.Append("<~ ").Append(greeting ?? "(closed)").Append('\n');
        if (greeting is null || !greeting.StartsWith("220", StringComparison.Ordinal))
        {
            return (false, transcript.ToString());
        }
        string[][] steps =
        [
            ["EHLO client.scaleout.test", "250"],
            ["MAIL FROM:<sender@client.scaleout.test>", "250"],
            [$"RCPT TO:<{recipient}>", "250"],
            ["DATA", "354"],
            [$"From: <sender@client.scaleout.test>\r\nTo: <{recipient}>\r\nSubject: scale-out\r\nMessage-ID: {messageId}\r\n" +
             $"Date: {DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture)}\r\n\r\nthrough HAProxy\r\n.", "250"],
        ];
        foreach (var step in steps)
        {
            transcript.Append("~> ").Append(step[0].Length > 40 ? "(message)" : step[0]).Append('\n');
            var reply = await client.CommandAsync(step[0]);
            transcript.Append("<~ ").Append(reply).Append('\n');
            if (!reply.StartsWith(step[1], StringComparison.Ordinal))
            {
                return (false, transcript.ToString());
            }
        }
        await client.SendAsync("QUIT\r\n");
        return (true, transcript.ToString());
    }

    /// <summary>AUTH PLAIN on <paramref name="server"/> (a node's submission listener, plain text allowed there by the cluster); the reply.</summary>
    public static async Task<string> AuthPlainAsync(IPEndPoint server, string user, string password)
    {
        await using var client = await RawSmtpClient.ConnectAsync(server);
        var greeting = await client.ReadReplyAsync(TimeSpan.FromSeconds(15)) ?? "(closed)";
        if (!greeting.StartsWith("220", StringComparison.Ordinal))
        {
            return greeting;
        }
        await client.CommandAsync("EHLO client.scaleout.test");
        var reply = await client.CommandAsync("AUTH PLAIN " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}")));
        await client.SendAsync("QUIT\r\n");
        return reply;
    }

    /// <summary>
    /// swaks from <paramref name="source"/> through <paramref name="server"/>: STARTTLS with the test
    /// PKI's <paramref name="certificate"/>, one message with an X-Token header to <paramref name="recipient"/>.
    /// </summary>
    public static Task<(int Code, string Transcript)> SendWithCertificateAsync(TestPki pki, IPEndPoint server, IPAddress source, string certificate, string recipient, string token) =>
        ExternalCommand.RunAsync("swaks",
            "--server", server.Address.ToString(), "--port", server.Port.ToString(CultureInfo.InvariantCulture),
            "--local-interface", source.ToString(), "--ehlo", "laptop.test",
            "--from", "joe@laptop.test", "--to", recipient, "--tls", "--timeout", "30",
            "--tls-cert", pki[certificate + ".pem"], "--tls-key", pki[certificate + ".key"],
            "--add-header", "X-Token: " + token, "--header", "Subject: swaks " + token, "--body", "relayed by certificate");

    /// <summary>A loopback source address 127.0.0.N for a client (all of 127/8 is loopback on Linux).</summary>
    public static IPAddress Source(int n) => new([127, 0, 0, (byte)n]);
}
