using System.Text;
using Postern.Core.IO;

namespace Postern.Tests.Core.IO;

public sealed class DurableFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("postern-durable-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Replace_writes_the_new_content_private_and_leaves_no_temporary_file()
    {
        var path = Path.Combine(_directory, "state.json");
        File.WriteAllText(path, "old");

        DurableFile.Replace(path, path + ".tmp", Encoding.ASCII.GetBytes("new"));

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(["state.json"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Replace_over_a_stale_temporary_file_still_lands()
    {
        var path = Path.Combine(_directory, "state.json");
        File.WriteAllText(path + ".tmp", "left over from a crash, longer than the new content");
        File.SetUnixFileMode(path + ".tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        DurableFile.Replace(path, path + ".tmp", Encoding.ASCII.GetBytes("new"));

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.False(File.Exists(path + ".tmp"));
    }
}
