using System.Text;
using Postern.Config;
using Postern.Delivery.Local;
using Postern.Tools.Sendmail;

namespace Postern.Tests.Tools.Sendmail;

/// <summary>With local_milters, the sendmail command hands every message to the daemon through the maildrop, even where it could write the spool.</summary>
public sealed class FilteredSubmissionTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("postern-filtered-");

    public void Dispose() => _data.Delete(recursive: true);

    [Theory]
    [InlineData("local_milters = [\"opendkim\"]", true)]
    [InlineData("milters = [\"opendkim\"]", false)]
    public async Task Local_milters_send_submissions_through_the_maildrop(string serverKey, bool viaMaildrop)
    {
        var loaded = ConfigurationLoader.LoadFromText($$"""
            [server]
            hostname = "mail.example.org"
            {{serverKey}}
            [[listener]]
            name = "mta"
            address = "127.0.0.1:0"
            role = "mta"
            [local]
            domains = ["mail.example.org"]
            users = ["alice", "bob"]
            [[milter]]
            name = "opendkim"
            socket = "inet:8891@127.0.0.1"
            """, "test.toml", _data.FullName, _ => null);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        var configuration = loaded.Configuration;
        Postern.Queue.Maildrop.Maildrop.EnsureCreated(Postern.Queue.Maildrop.Maildrop.PathIn(configuration.DataDirectory));
        var submission = new LocalSubmission(
            configuration, LocalRecipientDirectory.Load(configuration.Local), new SubmittingUser("alice", 1000), TimeProvider.System, TextWriter.Null);

        await submission.SubmitAsync(new SendmailOptions { Arguments = ["bob"] }, new MemoryStream(Encoding.ASCII.GetBytes("Subject: hi\n\nx\n")), CancellationToken.None);

        Assert.Equal(viaMaildrop, submission.UsedMaildrop);
        Assert.Equal(viaMaildrop ? 1 : 0, Directory.GetFiles(Postern.Queue.Maildrop.Maildrop.PathIn(configuration.DataDirectory)).Length);
    }
}
