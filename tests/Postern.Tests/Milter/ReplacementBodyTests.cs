using System.Text;
using Postern.Milter.Client;

namespace Postern.Tests.Milter;

/// <summary>A milter's replacement body goes to a private file as it arrives, with CRLF line ends.</summary>
public sealed class ReplacementBodyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("postern-replbody-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Chunks_are_appended_to_a_private_file_with_bare_lfs_made_crlf_across_chunk_boundaries()
    {
        var body = new ReplacementBody(_directory);
        await body.AppendAsync("one\ntwo\r"u8.ToArray(), CancellationToken.None);
        await body.AppendAsync("\nthree\r\n\n"u8.ToArray(), CancellationToken.None);
        await body.AppendAsync("\nfour"u8.ToArray(), CancellationToken.None);
        await body.FinishAsync(CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(body.Path));
        using (var reader = new StreamReader(body.Open(), Encoding.UTF8))
        {
            Assert.Equal("one\r\ntwo\r\nthree\r\n\r\n\r\nfour", await reader.ReadToEndAsync());
        }
        body.Dispose();
        Assert.False(File.Exists(body.Path));
    }

    [Fact]
    public async Task A_large_replacement_is_written_through_without_being_held()
    {
        var body = new ReplacementBody(_directory);
        var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0123456789abcdef\r\n", 3640)));
        for (var i = 0; i < 160; i++)
        {
            await body.AppendAsync(chunk, CancellationToken.None);
        }
        await body.FinishAsync(CancellationToken.None);

        Assert.Equal(160L * chunk.Length, new FileInfo(body.Path).Length);
        body.Dispose();
    }
}
