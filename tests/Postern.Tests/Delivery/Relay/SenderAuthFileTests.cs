using Postern.Delivery.Relay;

namespace Postern.Tests.Delivery.Relay;

public sealed class SenderAuthFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static SenderAuthFile Parse(params string[] lines) => SenderAuthFile.Parse("sender-authinfo", lines);

    [Fact]
    public void The_address_wins_over_its_domain_and_other_senders_have_none()
    {
        var file = Parse(
            "AuthInfo:alice@example.org \"U:alice\" \"P:secret\" \"M:PLAIN\"",
            "AuthInfo:@example.org \"U:shared\" \"P:other\"");

        Assert.Equal("alice", file.Find("Alice@Example.org")?.UserName);
        Assert.Equal(["PLAIN"], file.Find("alice@example.org")!.Mechanisms);
        Assert.Equal("shared", file.Find("bob@example.org")?.UserName);
        Assert.Null(file.Find("carol@example.net"));
        Assert.Null(file.Find(null));
    }

    [Theory]
    [InlineData("AuthInfo:relay.example.org \"U:u\" \"P:p\"", "sender-authinfo:1: expected an address (AuthInfo:alice@example.org) or a domain (AuthInfo:@example.org), got relay.example.org")]
    [InlineData("AuthInfo: \"U:u\" \"P:p\"", "got no key")]
    [InlineData("AuthInfo:alice@ \"U:u\" \"P:p\"", "got alice@")]
    public void Host_and_default_entries_are_refused_with_file_and_line(string line, string message)
    {
        var error = Assert.Throws<AuthInfoFileException>(() => Parse(line));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_others_can_read_is_refused()
    {
        var path = _directory.WriteFile("sender-authinfo", "AuthInfo:@example.org \"U:u\" \"P:p\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = Assert.Throws<AuthInfoFileException>(() => SenderAuthFile.Load(path));

        Assert.Contains("mode 0604", error.Message, StringComparison.Ordinal);
    }
}
