using Microsoft.Extensions.Logging.Abstractions;
using Postern.Cli;
using Postern.Core.Queueing;
using Postern.Queue;
using Postern.Tests.Queue;

namespace Postern.Tests.Cli;

public sealed class QueueControlTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "postern-cli-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public QueueControlTests() => Directory.CreateDirectory(_dataDirectory);

    private QueueOptions Queue => new() { SpoolDirectory = Path.Combine(_dataDirectory, "spool") };

    private string QueueDirectory => Path.Combine(_dataDirectory, "spool", "queue");

    public void Dispose()
    {
        Directory.Delete(_dataDirectory, recursive: true);
        _output.Dispose();
        _error.Dispose();
    }

    private async Task<QueueId> QueueMessageAsync()
    {
        var spool = new Spool(Queue, TimeProvider.System, NullLogger<Spool>.Instance);
        return await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
    }

    [Fact]
    public async Task Hold_release_and_delete_change_the_spool_files()
    {
        var id = await QueueMessageAsync();

        Assert.Equal(0, QueueControl.Change(QueueAction.Hold, id.Value, Queue, _dataDirectory, _output, _error));
        Assert.True(File.Exists(Path.Combine(QueueDirectory, id.Value + ".hold")));
        Assert.Equal(0, QueueControl.Change(QueueAction.Release, id.Value, Queue, _dataDirectory, _output, _error));
        Assert.False(File.Exists(Path.Combine(QueueDirectory, id.Value + ".hold")));
        Assert.Equal(0, QueueControl.Change(QueueAction.Delete, id.Value, Queue, _dataDirectory, _output, _error));

        Assert.Empty(TempSpoolDirectory.Names(QueueDirectory));
        Assert.Equal($"{id.Value}: held\n{id.Value}: released\n{id.Value}: deleted\n", _output.ToString().ReplaceLineEndings("\n"));
        Assert.Empty(_error.ToString());
    }

    [Theory]
    [InlineData("hold")]
    [InlineData("release")]
    [InlineData("delete")]
    public async Task An_unknown_id_exits_67_and_says_so(string name)
    {
        var action = Enum.Parse<QueueAction>(name, ignoreCase: true);
        await QueueMessageAsync();
        const string Unknown = "0QbHc1Xk8f2aLmZq";

        Assert.Equal(67, QueueControl.Change(action, Unknown, Queue, _dataDirectory, _output, _error));

        Assert.Equal($"postern: queue: no message {Unknown} in the queue\n", _error.ToString().ReplaceLineEndings("\n"));
        Assert.Single(TempSpoolDirectory.Names(QueueDirectory));
    }

    [Fact]
    public void An_unknown_id_in_a_data_directory_without_a_spool_exits_67() =>
        Assert.Equal(67, QueueControl.Change(QueueAction.Delete, "0QbHc1Xk8f2aLmZq", Queue, _dataDirectory, _output, _error));

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("short")]
    [InlineData("")]
    public void A_malformed_id_exits_64(string id)
    {
        Assert.Equal(64, QueueControl.Change(QueueAction.Delete, id, Queue, _dataDirectory, _output, _error));
        Assert.Contains("is not a queue id", _error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("example.com")]
    public void Flush_without_a_pid_file_exits_75(string? domain)
    {
        Assert.Equal(75, QueueControl.Flush(domain, Queue, _dataDirectory, _output, _error));

        Assert.StartsWith("postern: queue: no running postern (no pid file ", _error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dataDirectory, "spool", "flush")));
    }

    [Theory]
    [InlineData("999999999\n", "process 999999999 is not running")]
    [InlineData("garbage", "no process id in it")]
    public void Flush_with_a_stale_pid_file_exits_75(string content, string problem)
    {
        File.WriteAllText(Path.Combine(_dataDirectory, "postern.pid"), content);

        Assert.Equal(75, QueueControl.Flush(null, Queue, _dataDirectory, _output, _error));

        Assert.Contains("no running postern (stale pid file ", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains(problem, _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Flush_of_a_malformed_domain_exits_64() =>
        Assert.Equal(64, QueueControl.Flush("not a domain", Queue, _dataDirectory, _output, _error));

    [Fact]
    public void Flush_requests_are_taken_once_with_their_domain()
    {
        var requests = new FlushRequests(Queue.SpoolDirectory);
        requests.Submit("example.com");
        requests.Submit(null);

        var taken = requests.Take();

        Assert.Equal(["", "example.com"], taken.Select(d => d ?? "").Order(StringComparer.Ordinal));
        Assert.Empty(requests.Take());
    }
}
