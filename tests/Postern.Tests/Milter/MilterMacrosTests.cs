using System.Net;
using Postern.Core.Addressing;
using Postern.Core.Milters;
using Postern.Core.Policy;
using Postern.Core.Queueing;
using Postern.Core.Tls;
using Postern.Milter.Client;

namespace Postern.Tests.Milter;

/// <summary>The macros sent at each stage with sendmail's default lists, and their values as sendmail writes them.</summary>
public sealed class MilterMacrosTests
{
    private static readonly SessionFacts Plain = new(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 40123), new IPEndPoint(IPAddress.Parse("198.51.100.1"), 25), "mta", ListenerRole.Mta)
    {
        HeloName = "client.example.org",
    };

    private static readonly CertificateFacts Certificate = new(
        "/C=US/O=Example/CN=client.example.org", "/C=US/O=Example/CN=Example CA", "CN=client.example.org,O=Example,C=US", "CN=Example CA,O=Example,C=US",
        "client.example.org", "Example CA", new string('a', 64), new string('b', 64), [], [], DateTimeOffset.MinValue, DateTimeOffset.MaxValue, "01");

    private static readonly SessionFacts Tls = Plain with
    {
        Tls = new TlsFacts("TLSv1.3", "TLS_AES_256_GCM_SHA384", 256, new CertificateVerification(VerifyResult.Ok, VerifyFailure.None, null, Certificate)),
        SaslLogin = "alice",
        AuthenticatedUser = "alice",
        AuthMechanism = "SCRAM-SHA-256",
    };

    private static Dictionary<string, string> At(MilterMacroStage stage, MilterMacroContext context) =>
        MilterMacros.For(MilterMacroDefaults.For(stage), context).ToDictionary(m => m.Key, m => m.Value);

    [Fact]
    public void Connect_sends_the_host_name_the_client_and_the_listener()
    {
        var macros = At(MilterMacroStage.Connect, new MilterMacroContext(Plain, "mx.example.org"));

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["j"] = "mx.example.org",
                ["_"] = "[192.0.2.7]",
                ["{daemon_name}"] = "mta",
                ["{if_name}"] = "mx.example.org",
                ["{if_addr}"] = "198.51.100.1",
            },
            macros);
    }

    [Fact]
    public void Helo_sends_the_tls_facts_as_sendmail_formats_them()
    {
        var macros = At(MilterMacroStage.Helo, new MilterMacroContext(Tls, "mx.example.org"));

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["{tls_version}"] = "TLSv1.3",
                ["{cipher}"] = "TLS_AES_256_GCM_SHA384",
                ["{cipher_bits}"] = "256",
                ["{cert_subject}"] = "/C=US/O=Example/CN=client.example.org",
                ["{cert_issuer}"] = "/C=US/O=Example/CN=Example CA",
            },
            macros);
    }

    [Fact]
    public void Without_tls_the_helo_macros_are_left_out_and_verify_is_none()
    {
        var context = new MilterMacroContext(Plain, "mx.example.org");

        Assert.Empty(At(MilterMacroStage.Helo, context));
        Assert.Equal("NONE", MilterMacros.Value("{verify}", context));
        Assert.Equal("OK", MilterMacros.Value("{verify}", context with { Session = Tls }));
        Assert.Equal("FAIL", MilterMacros.Value("{verify}", context with { Session = Tls with { Tls = Tls.Tls! with { Peer = new CertificateVerification(VerifyResult.Fail, VerifyFailure.None, "expired", Certificate) } } }));
    }

    [Fact]
    public void Mail_sends_the_authentication_and_the_sender()
    {
        var id = QueueId.New(TimeProvider.System);
        var context = new MilterMacroContext(Tls with { QueueId = id }, "mx.example.org") { HasMail = true, Sender = new Mailbox("bob", "example.org"), MailParameters = ["SIZE=10", "AUTH=bob+40example.org"] };

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["i"] = id.Value,
                ["{auth_type}"] = "SCRAM-SHA-256",
                ["{auth_authen}"] = "alice",
                ["{auth_ssf}"] = "0",
                ["{auth_author}"] = "bob@example.org",
                ["{mail_mailer}"] = "esmtp",
                ["{mail_host}"] = "example.org",
                ["{mail_addr}"] = "bob@example.org",
            },
            At(MilterMacroStage.Mail, context));
    }

    [Fact]
    public void The_null_sender_has_an_empty_address_and_no_authentication_is_left_out()
    {
        var macros = At(MilterMacroStage.Mail, new MilterMacroContext(Plain, "mx.example.org") { HasMail = true });

        Assert.Equal(new Dictionary<string, string> { ["{mail_mailer}"] = "local", ["{mail_addr}"] = "" }, macros);
    }

    [Fact]
    public void Rcpt_and_end_of_message_send_the_recipient_and_the_message_id()
    {
        var context = new MilterMacroContext(Plain, "mx.example.org") { Recipient = new Mailbox("user", "example.net"), MessageId = "<m1@example.org>" };

        Assert.Equal(
            new Dictionary<string, string> { ["{rcpt_mailer}"] = "esmtp", ["{rcpt_host}"] = "example.net", ["{rcpt_addr}"] = "user@example.net" },
            At(MilterMacroStage.Recipient, context));
        Assert.Equal(new Dictionary<string, string> { ["{msg_id}"] = "<m1@example.org>" }, At(MilterMacroStage.EndOfMessage, context));
        Assert.Empty(At(MilterMacroStage.Data, context));
        Assert.Empty(At(MilterMacroStage.EndOfHeaders, context));
    }

    [Theory]
    [InlineData("{client_addr}", "192.0.2.7")]
    [InlineData("{client_port}", "40123")]
    [InlineData("{client_name}", "[192.0.2.7]")]
    [InlineData("{daemon_addr}", "198.51.100.1")]
    [InlineData("{daemon_port}", "25")]
    [InlineData("s", "client.example.org")]
    public void Other_macros_a_milter_may_ask_for(string name, string value) =>
        Assert.Equal(value, MilterMacros.Value(name, new MilterMacroContext(Plain, "mx.example.org")));
}
