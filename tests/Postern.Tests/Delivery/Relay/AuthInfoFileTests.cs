using Postern.Delivery.Relay;

namespace Postern.Tests.Delivery.Relay;

public sealed class AuthInfoFileTests
{
    [Fact]
    public void Loads_entries_by_host_with_the_default_entry_last()
    {
        using var directory = new TempDirectory();
        var path = directory.WriteFile("authinfo", """
            # smarthost credentials
            AuthInfo:smtp.example.com "U:alice" "P:s3cret" "M:PLAIN CRAM-MD5"

            AuthInfo:relay.example.net "U:boss" "I:bob" "P=cGFzc3dvcmQ="
            AuthInfo: "U:fallback" "P:x"
            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var file = AuthInfoFile.Load(path);

        var alice = file.Find("SMTP.example.com.")!;
        Assert.Equal(("alice", (string?)null, "s3cret"), (alice.UserName, alice.AuthorizationId, alice.Password));
        Assert.Equal(["PLAIN", "CRAM-MD5"], alice.Mechanisms);
        var bob = file.Find("relay.example.net")!;
        Assert.Equal(("bob", "boss", "password"), (bob.UserName, bob.AuthorizationId, bob.Password));
        Assert.Equal("fallback", file.Find("other.example")!.UserName);
        Assert.DoesNotContain("s3cret", alice.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_file_others_can_read()
    {
        using var directory = new TempDirectory();
        var path = directory.WriteFile("authinfo", "AuthInfo:a \"U:u\" \"P:p\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var error = Assert.Throws<AuthInfoFileException>(() => AuthInfoFile.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("0640", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Foo:a \"U:u\" \"P:p\"", "starting with AuthInfo:")]
    [InlineData("AuthInfo:a \"U:u\"", "no password")]
    [InlineData("AuthInfo:a \"P:p\"", "no user")]
    [InlineData("AuthInfo:a \"U:u\" \"P:p", "unterminated")]
    [InlineData("AuthInfo:a \"X:u\" \"P:p\"", "unknown field X")]
    [InlineData("AuthInfo:a \"U:u\" \"P=not base64!\"", "not valid base64")]
    [InlineData("AuthInfo:a U:u", "quoted")]
    public void Errors_name_the_file_and_line(string line, string expected)
    {
        var error = Assert.Throws<AuthInfoFileException>(() => AuthInfoFile.Parse("authinfo", ["# comment", line]));
        Assert.StartsWith("authinfo:2: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64!", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_entry_for_a_host_is_an_error()
    {
        var error = Assert.Throws<AuthInfoFileException>(() => AuthInfoFile.Parse("f", ["AuthInfo:a \"U:u\" \"P:p\"", "AuthInfo:A \"U:v\" \"P:q\""]));
        Assert.StartsWith("f:2: ", error.Message, StringComparison.Ordinal);
    }
}
