using Postern.Pki.Tls;
using Postern.Tests.Delivery;

namespace Postern.Tests.Pki.Tls;

public sealed class KeyFileSafetyTests
{
    [Fact]
    public void Warns_about_a_key_readable_by_others()
    {
        using var directory = new TempDirectory();
        var path = directory.WriteFile("key.pem", "key");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var warning = KeyFileSafety.Check(path);

        Assert.NotNull(warning);
        Assert.Contains(path, warning, StringComparison.Ordinal);
        Assert.Contains("0644", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Warns_about_a_group_writable_key()
    {
        using var directory = new TempDirectory();
        var path = directory.WriteFile("key.pem", "key");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupWrite);

        Assert.NotNull(KeyFileSafety.Check(path));
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite)]
    [InlineData(UnixFileMode.UserRead)]
    public void Accepts_a_key_only_its_owner_can_read(UnixFileMode mode)
    {
        using var directory = new TempDirectory();
        var path = directory.WriteFile("key.pem", "key");
        File.SetUnixFileMode(path, mode);

        Assert.Null(KeyFileSafety.Check(path));
    }
}
