using System.Text;
using Postern.Protocol.Sasl.Client;

namespace Postern.Tests.Protocol.Sasl;

public sealed class SaslClientMechanismTests
{
    [Fact]
    public void Scram_sha_256_matches_the_rfc_7677_test_vector()
    {
        var scram = new ScramSha256ClientMechanism(new SaslClientCredentials("user", "pencil"), "rOprNGfwEbeRWgbNEkqO");
        Assert.Equal("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", Encoding.UTF8.GetString(scram.InitialResponse()!));
        var final = scram.Respond("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"u8);
        Assert.Equal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", Encoding.UTF8.GetString(final));
        Assert.False(scram.ServerVerified);
        Assert.Empty(scram.Respond("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="u8));
        Assert.True(scram.ServerVerified);
    }

    [Fact]
    public void Scram_refuses_a_wrong_server_signature()
    {
        var scram = new ScramSha256ClientMechanism(new SaslClientCredentials("user", "pencil"), "rOprNGfwEbeRWgbNEkqO");
        scram.InitialResponse();
        scram.Respond("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"u8);
        Assert.Throws<SaslClientException>(() => scram.Respond("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="u8));
        Assert.False(scram.ServerVerified);
    }

    [Theory]
    [InlineData("r=someoneelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=999999999")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOxyz,s=!!,i=4096")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOxyz,i=4096")]
    public void Scram_refuses_bad_server_first_messages(string serverFirst)
    {
        var scram = new ScramSha256ClientMechanism(new SaslClientCredentials("user", "pencil"), "rOprNGfwEbeRWgbNEkqO");
        scram.InitialResponse();
        Assert.Throws<SaslClientException>(() => scram.Respond(Encoding.UTF8.GetBytes(serverFirst)));
    }

    [Fact]
    public void Scram_escapes_the_user_name_and_sends_the_authorization_id()
    {
        var scram = new ScramSha256ClientMechanism(new SaslClientCredentials("a=b,c", "x", "boss"), "nonce");
        Assert.Equal("n,a=boss,n=a=3Db=2Cc,r=nonce", Encoding.UTF8.GetString(scram.InitialResponse()!));
    }

    [Fact]
    public void Cram_md5_matches_the_rfc_2195_example()
    {
        var cram = new CramMd5ClientMechanism(new SaslClientCredentials("tim", "tanstaaftanstaaf"));
        Assert.Null(cram.InitialResponse());
        var response = cram.Respond("<1896.697170952@postoffice.reston.mci.net>"u8);
        Assert.Equal("tim b913a602c7eda7a495b4e6e7334d3890", Encoding.UTF8.GetString(response));
    }

    [Fact]
    public void Plain_and_login_send_what_they_should()
    {
        Assert.Equal("boss\0alice\0pw", Encoding.UTF8.GetString(new PlainClientMechanism(new SaslClientCredentials("alice", "pw", "boss")).InitialResponse()!));
        var login = new LoginClientMechanism(new SaslClientCredentials("alice", "pw"));
        Assert.Equal("alice", Encoding.UTF8.GetString(login.Respond("Username:"u8)));
        Assert.Equal("pw", Encoding.UTF8.GetString(login.Respond("Password:"u8)));
        Assert.Throws<SaslClientException>(() => login.Respond("More:"u8));
    }

    [Fact]
    public void Credentials_never_print_the_password()
    {
        Assert.DoesNotContain("secret", new SaslClientCredentials("alice", "secret").ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256", "", true, "SCRAM-SHA-256")]
    [InlineData("PLAIN LOGIN CRAM-MD5", "", false, "CRAM-MD5")]
    [InlineData("PLAIN LOGIN", "", true, "PLAIN")]
    [InlineData("LOGIN", "", true, "LOGIN")]
    [InlineData("PLAIN LOGIN", "", false, null)]
    [InlineData("PLAIN SCRAM-SHA-256", "PLAIN", true, "PLAIN")]
    [InlineData("XOAUTH2 GSSAPI", "", true, null)]
    public void Choose_prefers_strong_mechanisms_and_keeps_passwords_off_clear_text(string offered, string allowed, bool tls, string? expected)
    {
        var set = offered.Split(' ').ToHashSet(StringComparer.Ordinal);
        var allowedList = allowed.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected, SaslClientMechanisms.Choose(set, allowedList, tls));
    }
}
