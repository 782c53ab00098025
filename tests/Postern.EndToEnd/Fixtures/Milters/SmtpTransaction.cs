using System.Globalization;

namespace Postern.EndToEnd.Fixtures.Milters;

/// <summary>
/// One mail transaction by python3's smtplib, every reply printed so a test sees where a milter
/// refused: "EHLO code text", "MAIL code text", "RCPT address code text" per recipient, and "DATA
/// code text" (the final reply) when a recipient was accepted. A multi-line reply's lines are
/// joined by " | ". The message goes in on stdin; its line ends become CRLF.
/// </summary>
public sealed record SmtpTransaction(string Sender, IReadOnlyList<string> Recipients, string Message)
{
    /// <summary>The client's EHLO name.</summary>
    public string Helo { get; init; } = "client.test";

    /// <summary>The test CA's file: STARTTLS first, verifying the server against it.</summary>
    public string? CaFile { get; init; }

    /// <summary>A client certificate (.pem and .key) to present after STARTTLS.</summary>
    public (string Certificate, string Key)? ClientCertificate { get; init; }

    /// <summary>AUTH (smtplib's choice of mechanism) after EHLO.</summary>
    public (string User, string Password)? Login { get; init; }

    public async Task<string> RunAsync(int port)
    {
        var tls = CaFile is null ? "" : $$"""
            context = ssl.create_default_context(cafile={{Quote(CaFile)}})
            {{(ClientCertificate is { } c ? $"context.load_cert_chain({Quote(c.Certificate)}, {Quote(c.Key)})" : "")}}
            s.starttls(context=context)
            s.ehlo({{Quote(Helo)}})
            """;
        var login = Login is { } l ? $"s.login({Quote(l.User)}, {Quote(l.Password)})" : "";
        var script = $$"""
            import smtplib, ssl, sys
            def show(label, reply):
                print(label, reply[0], reply[1].decode("utf-8", "replace").replace("\n", " | "), flush=True)
            message = sys.stdin.read().replace("\r\n", "\n").replace("\n", "\r\n")
            s = smtplib.SMTP("127.0.0.1", {{port.ToString(CultureInfo.InvariantCulture)}}, local_hostname={{Quote(Helo)}}, timeout=60)
            show("EHLO", s.ehlo({{Quote(Helo)}}))
            {{tls}}
            {{login}}
            reply = s.mail({{Quote(Sender)}})
            show("MAIL", reply)
            accepted = 0
            if reply[0] == 250:
                for recipient in [{{string.Join(", ", Recipients.Select(Quote))}}]:
                    reply = s.rcpt(recipient)
                    show("RCPT " + recipient, reply)
                    accepted += reply[0] in (250, 251)
            if accepted:
                try:
                    show("DATA", s.data(message))
                except smtplib.SMTPDataError as e:
                    show("DATA", (e.smtp_code, e.smtp_error))
            try:
                s.quit()
            except smtplib.SMTPServerDisconnected:
                pass
            """;
        var (code, output) = await ExternalCommand.RunWithInputAsync(Message, "python3", "-c", script);
        Assert.True(code == 0, output);
        return output;
    }

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
