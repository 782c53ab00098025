using Postern.Delivery.MtaSts;

namespace Postern.Tests.Delivery.MtaSts;

public sealed class MtaStsPolicyCacheTests : IDisposable
{
    private static readonly DateTimeOffset Fetched = new(2026, 12, 1, 8, 30, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly MtaStsPolicyCache _cache;

    public MtaStsPolicyCacheTests()
    {
        _cache = new MtaStsPolicyCache(_temp.Combine("mta-sts"));
        _cache.EnsureDirectory();
    }

    public void Dispose() => _temp.Dispose();

    private static MtaStsPolicy Policy(string id = "abc1") =>
        MtaStsPolicyParser.Parse("version: STSv1\r\nmode: enforce\r\nmx: *.example.net\r\nmax_age: 86400\r\n", id, Fetched, out _)!;

    [Fact]
    public void The_directory_is_private()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_cache.Directory));
    }

    [Fact]
    public void A_written_policy_reads_back_whole_from_one_private_file()
    {
        _cache.Write("example.org", Policy());

        var read = _cache.Read("example.org", out var problem);

        Assert.Null(problem);
        Assert.NotNull(read);
        Assert.Equal(("abc1", MtaStsMode.Enforce, Fetched, TimeSpan.FromDays(1)), (read.Id, read.Mode, read.FetchedAt, read.MaxAge));
        Assert.Equal(["*.example.net"], read.MxPatterns);
        Assert.Equal(Policy().Lines, read.Lines);
        var file = Assert.Single(Directory.GetFiles(_cache.Directory));
        Assert.Equal("example.org.json", Path.GetFileName(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public void A_new_policy_replaces_the_old_one()
    {
        _cache.Write("example.org", Policy("one"));
        _cache.Write("example.org", Policy("two"));

        Assert.Equal("two", _cache.Read("example.org", out _)?.Id);
        Assert.Single(Directory.GetFiles(_cache.Directory));
    }

    [Fact]
    public void No_file_is_no_policy_and_no_problem()
    {
        Assert.Null(_cache.Read("example.org", out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"domain\":\"example.org\",\"id\":\"x\",\"fetched_at\":\"2026-12-01T08:30:00+00:00\",\"policy\":\"version: STSv2\\nmode: enforce\\nmx: a.example\\nmax_age: 1\\n\"}")]
    [InlineData("{\"domain\":\"other.example\",\"id\":\"x\",\"fetched_at\":\"2026-12-01T08:30:00+00:00\",\"policy\":\"version: STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: 1\\n\"}")]
    [InlineData("{\"domain\":\"example.org\",\"id\":\"bad id\",\"fetched_at\":\"2026-12-01T08:30:00+00:00\",\"policy\":\"version: STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: 1\\n\"}")]
    public void A_damaged_file_is_no_policy_with_a_reason(string content)
    {
        File.WriteAllText(Path.Combine(_cache.Directory, "example.org.json"), content);

        Assert.Null(_cache.Read("example.org", out var problem));
        Assert.Contains("example.org.json", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_file_is_not_read()
    {
        File.WriteAllBytes(Path.Combine(_cache.Directory, "example.org.json"), new byte[(4 * 64 * 1024) + 1]);

        Assert.Null(_cache.Read("example.org", out var problem));
        Assert.Contains("larger than", problem, StringComparison.Ordinal);
    }
}
