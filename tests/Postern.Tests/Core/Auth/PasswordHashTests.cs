using Postern.Core.Auth;

namespace Postern.Tests.Core.Auth;

public sealed class PasswordHashTests
{
    [Fact]
    public void Created_hashes_verify_only_their_password()
    {
        var hash = PasswordHash.Create("correct horse", 1000);
        Assert.True(PasswordHash.Verify("correct horse", hash));
        Assert.False(PasswordHash.Verify("correct hors", hash));
        Assert.False(PasswordHash.Verify("Correct horse", hash));
    }

    [Fact]
    public void The_format_is_a_phc_string_with_a_random_salt()
    {
        var a = PasswordHash.Create("pw", 1000);
        var b = PasswordHash.Create("pw", 1000);
        Assert.Matches(@"^\$pbkdf2-sha256\$i=1000\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$", a);
        Assert.NotEqual(a, b);
        Assert.DoesNotContain("pw", a[20..], StringComparison.Ordinal);
        Assert.Equal(1000, PasswordHash.IterationsOf(a));
    }

    [Fact]
    public void The_default_follows_owasp()
    {
        Assert.True(PasswordHash.DefaultIterations >= 600_000);
    }

    [Theory]
    [InlineData("")]
    [InlineData("plaintext")]
    [InlineData("$pbkdf2-sha256$i=0$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=99999999$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=1000$c2FsdHNhbHRzYWx0$AAAA")]
    [InlineData("$pbkdf2-sha256$i=1000$!!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha512$i=1000$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Malformed_hashes_never_verify(string hash)
    {
        Assert.False(PasswordHash.IsWellFormed(hash));
        Assert.False(PasswordHash.Verify("anything", hash));
    }

    [Fact]
    public void Passwords_are_saslprepped_so_a_non_ascii_space_matches_a_space()
    {
        var hash = PasswordHash.Create("correct\u00A0horse", 1000);
        Assert.True(PasswordHash.Verify("correct horse", hash));
        Assert.True(PasswordHash.Verify("correct\u00ADhorse", PasswordHash.Create("correcthorse", 1000)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad\u0007bell")]
    [InlineData("private\uE000use")]
    public void Empty_and_prohibited_passwords_are_refused(string password)
    {
        Assert.Throws<ArgumentException>(() => PasswordHash.Create(password, 1000));
    }

    [Fact]
    public void The_dummy_never_verifies()
    {
        Assert.False(PasswordHash.VerifyDummy("anything", 1000));
    }
}
