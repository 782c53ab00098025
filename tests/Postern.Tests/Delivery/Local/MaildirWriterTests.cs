using System.Text;
using Postern.Delivery.Local;

namespace Postern.Tests.Delivery.Local;

public sealed class MaildirWriterTests
{
    private static readonly byte[] Prefix = "X-Prefix: 1\r\n"u8.ToArray();

    private static async Task<string> DeliverAsync(string root, string user, string key, byte[] body)
    {
        var writer = new MaildirWriter(root, "mx.example.org");
        using var stream = new MemoryStream(body);
        return await writer.DeliverAsync(user, TestMessages.Id, key, TestMessages.ReceivedAt, Prefix, stream, CancellationToken.None);
    }

    [Fact]
    public async Task A_message_lands_in_new_with_the_exact_bytes_and_tmp_stays_empty()
    {
        using var temp = new TempDirectory();

        var path = await DeliverAsync(temp.Path, "Alice", "0", TestMessages.Body);

        var expected = Prefix.Concat(TestMessages.Body).ToArray();
        var name = $"1700000000.0123456789ABCDEF_0.mx.example.org,S={expected.Length}";
        Assert.Equal(temp.Combine("alice", "new", name), path);
        Assert.Equal(expected, await File.ReadAllBytesAsync(path));
        Assert.Empty(Directory.GetFiles(temp.Combine("alice", "tmp")));
        Assert.True(Directory.Exists(temp.Combine("alice", "cur")));
    }

    [Fact]
    public async Task Maildir_directories_and_files_are_private()
    {
        using var temp = new TempDirectory();

        var path = await DeliverAsync(temp.Path, "alice", "0", TestMessages.Body);

        const UnixFileMode Rwx = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        foreach (var sub in (string[])["tmp", "new", "cur"])
        {
            Assert.Equal(Rwx, File.GetUnixFileMode(temp.Combine("alice", sub)));
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_large_message_is_copied_exactly()
    {
        using var temp = new TempDirectory();
        var body = new byte[300_000];
        new Random(42).NextBytes(body);

        var path = await DeliverAsync(temp.Path, "alice", "0", body);

        Assert.Equal(Prefix.Concat(body).ToArray(), await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Redelivery_with_the_same_queue_id_and_key_replaces_the_file()
    {
        using var temp = new TempDirectory();

        var first = await DeliverAsync(temp.Path, "alice", "3", TestMessages.Body);
        var second = await DeliverAsync(temp.Path, "alice", "3", TestMessages.Body);

        Assert.Equal(first, second);
        Assert.Single(Directory.GetFiles(temp.Combine("alice", "new")));
        Assert.Empty(Directory.GetFiles(temp.Combine("alice", "tmp")));
    }

    [Fact]
    public async Task Another_key_makes_another_file()
    {
        using var temp = new TempDirectory();

        await DeliverAsync(temp.Path, "alice", "0", TestMessages.Body);
        await DeliverAsync(temp.Path, "alice", "1", TestMessages.Body);

        Assert.Equal(2, Directory.GetFiles(temp.Combine("alice", "new")).Length);
    }

    [Fact]
    public async Task Separators_in_the_key_are_escaped_in_the_name()
    {
        using var temp = new TempDirectory();

        var path = await DeliverAsync(temp.Path, "alice", "0_a:b,c", TestMessages.Body);

        Assert.StartsWith("1700000000.0123456789ABCDEF_0_a\\072b\\054c.mx.example.org,S=", Path.GetFileName(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("a\u0001b")]
    [InlineData("")]
    public async Task Unsafe_user_names_are_refused_and_nothing_is_written(string user)
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("root");
        Directory.CreateDirectory(root);

        await Assert.ThrowsAsync<ArgumentException>(() => DeliverAsync(root, user, "0", TestMessages.Body));

        Assert.Equal([root], Directory.GetFileSystemEntries(temp.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_failed_write_leaves_nothing_behind()
    {
        using var temp = new TempDirectory();
        var writer = new MaildirWriter(temp.Path, "mx");
        using var failing = new FailingStream(Encoding.ASCII.GetBytes("Subject: x\r\n"));

        await Assert.ThrowsAsync<IOException>(() => writer.DeliverAsync("alice", TestMessages.Id, "0", TestMessages.ReceivedAt, Prefix, failing, CancellationToken.None).AsTask());

        Assert.Empty(Directory.GetFiles(temp.Combine("alice", "tmp")));
        Assert.Empty(Directory.GetFiles(temp.Combine("alice", "new")));
    }

    /// <summary>Gives some bytes, then fails like a broken disk.</summary>
    private sealed class FailingStream(byte[] first) : MemoryStream(first)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw new IOException("read failed");
    }
}
