using System.Text;
using Postern.Queue.Storage;

namespace Postern.Tests.Queue;

public sealed class RecipientJournalTests : IDisposable
{
    private readonly TempSpoolDirectory _directory = new();

    public RecipientJournalTests() => Directory.CreateDirectory(_directory.Path);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Entries_appended_after_a_torn_line_are_not_lost()
    {
        var path = Path.Combine(_directory.Path, "j.rcpt");
        RecipientJournal.Append(path, _directory.Path, [new JournalEntry { Recipient = 0, Kind = JournalKind.Delivered }]);
        File.AppendAllText(path, "{\"recipient\":1,\"ki", Encoding.ASCII);
        RecipientJournal.Append(path, _directory.Path,
        [
            new JournalEntry { Recipient = 2, Kind = JournalKind.Failed, Code = 550, Status = "5.1.1", Lines = ["User unknown"], Mailer = "local", Relay = "local" },
        ]);

        var entries = RecipientJournal.Read(path, out var skipped);

        Assert.Equal(1, skipped);
        Assert.Equal([0, 2], entries.Select(e => e.Recipient));
        Assert.Equal(JournalKind.Failed, entries[1].Kind);
        Assert.Equal(["User unknown"], entries[1].Lines);
    }

    [Fact]
    public void A_line_without_its_newline_is_not_an_outcome()
    {
        var path = Path.Combine(_directory.Path, "j.rcpt");
        File.WriteAllText(path, "{\"recipient\":0,\"kind\":\"Delivered\"}", Encoding.ASCII);

        Assert.Empty(RecipientJournal.Read(path, out _));
    }

    [Fact]
    public void A_missing_journal_reads_as_empty() =>
        Assert.Empty(RecipientJournal.Read(Path.Combine(_directory.Path, "none.rcpt"), out _));
}
