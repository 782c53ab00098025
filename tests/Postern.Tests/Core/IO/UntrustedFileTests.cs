using System.Diagnostics;
using Postern.Core.IO;

namespace Postern.Tests.Core.IO;

/// <summary>What a local user could plant in a directory Postern reads: only a plain file of their own opens.</summary>
public sealed class UntrustedFileTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("postern-untrusted-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void A_regular_file_opens_with_its_owner_size_and_mode()
    {
        var path = Write("plain", "hello");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        using var file = UntrustedFile.TryOpen(path, 100, out var status, out var refusal);

        Assert.NotNull(file);
        Assert.Equal(default, refusal);
        Assert.Equal(5, status.Size);
        Assert.Equal(CurrentUser.Id, status.OwnerId);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead, status.Mode);
        Assert.True(DateTimeOffset.UtcNow - status.Modified < TimeSpan.FromMinutes(5));
        Assert.Equal("hello", new StreamReader(file).ReadToEnd());
    }

    [Fact]
    public void A_symlink_is_refused_even_to_a_readable_file()
    {
        var target = Write("secret", "do not mail me");
        var link = Path.Combine(_directory.FullName, "link");
        File.CreateSymbolicLink(link, target);

        Assert.Null(UntrustedFile.TryOpen(link, 100, out _, out var refusal));
        Assert.Equal(new UntrustedFile.Refusal(UntrustedFile.RefusalKind.NotRegularFile, "not a regular file"), refusal);
    }

    [Fact]
    public void A_hard_link_is_refused()
    {
        var target = Write("original", "x");
        var link = Path.Combine(_directory.FullName, "hard");
        Run("ln", target, link);

        Assert.Null(UntrustedFile.TryOpen(link, 100, out _, out var refusal));
        Assert.Equal(new UntrustedFile.Refusal(UntrustedFile.RefusalKind.MultipleLinks, "more than one link"), refusal);
    }

    [Fact]
    public async Task A_fifo_is_refused_without_blocking()
    {
        var fifo = Path.Combine(_directory.FullName, "fifo");
        Run("mkfifo", fifo);

        var opened = Task.Run(() => UntrustedFile.TryOpen(fifo, 100, out _, out var refusal) is null ? refusal.Reason : "opened");

        Assert.Equal("not a regular file", await opened.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_file_over_the_limit_and_a_missing_file_are_refused()
    {
        var big = Write("big", new string('x', 101));

        Assert.Null(UntrustedFile.TryOpen(big, 100, out _, out var tooBig));
        Assert.Equal(new UntrustedFile.Refusal(UntrustedFile.RefusalKind.TooLarge, "larger than 100 bytes"), tooBig);
        Assert.Null(UntrustedFile.TryOpen(Path.Combine(_directory.FullName, "none"), 100, out _, out var missing));
        Assert.Equal(UntrustedFile.RefusalKind.Unavailable, missing.Kind);
        Assert.StartsWith("statx: ", missing.Reason, StringComparison.Ordinal);
    }


    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(program, arguments);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, process.ExitCode);
    }
}
