using System.Net;
using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Core.Stages;

namespace Postern.Tests.Filters.Authentication;

/// <summary>
/// Message drafts as the session hands them to end-of-data handlers: the header fields parsed
/// from the bytes, the body read from a file after the header block (as a held message's is).
/// </summary>
internal sealed class TestDrafts : IDisposable
{
    private readonly List<string> _files = [];

    public MessageDraft Create(byte[] message, Mailbox? sender = null)
    {
        var headerLength = HeaderBlock.Measure(message);
        var path = Path.Combine(Path.GetTempPath(), "postern-test-draft-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, message);
        _files.Add(path);
        var envelope = new Envelope
        {
            Sender = sender,
            Recipients = [new EnvelopeRecipient(new Mailbox("user", "mx.test"))],
            Client = new ClientInfo(IPAddress.Parse("192.0.2.9"), "mail.example.org", "ESMTP", "mta"),
            ReceivedAt = new DateTimeOffset(2026, 11, 23, 15, 22, 19, TimeSpan.Zero),
        };
        return new MessageDraft(envelope, HeaderBlock.Parse(message.AsMemory(0, headerLength)), () =>
        {
            var body = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            body.Seek(headerLength, SeekOrigin.Begin);
            return body;
        });
    }

    public void Dispose()
    {
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }
}
