using System.Globalization;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// python3's smtplib as a client: <see cref="RunAsync"/> runs a script that has <c>session(cert)</c>
/// (a session after STARTTLS presenting <c>pki[cert].pem</c>, or none for "", or in plaintext with
/// <c>tls=False</c>) and <c>message(token)</c> at hand, and prints one line per reply it cares about.
/// </summary>
public static class PythonSmtp
{
    public static async Task<string> RunAsync(TestPki pki, int port, string body)
    {
        var script = $$"""
            import smtplib, ssl, sys
            def session(cert, tls=True):
                s = smtplib.SMTP("127.0.0.1", {{port.ToString(CultureInfo.InvariantCulture)}}, local_hostname="laptop.test", timeout=30)
                if tls:
                    context = ssl.create_default_context(cafile="{{pki["ca.pem"]}}")
                    if cert:
                        context.load_cert_chain("{{pki.Directory}}/" + cert + ".pem", "{{pki.Directory}}/" + cert + ".key")
                    s.starttls(context=context)
                s.ehlo("laptop.test")
                return s
            def message(token):
                return "From: joe@laptop.test\r\nTo: someone@remote.test\r\nSubject: python\r\nX-Token: " + token + "\r\n\r\nbody\r\n"
            def show(label, reply):
                print(label, reply[0], reply[1].decode())

            """ + body;
        var (code, output) = await ExternalCommand.RunAsync("python3", "-c", script);
        Assert.True(code == 0, output);
        return output;
    }
}
