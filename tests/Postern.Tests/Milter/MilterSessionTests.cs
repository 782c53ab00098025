using System.Net;
using Postern.Core.Addressing;
using Postern.Core.Policy;
using Postern.Core.Queueing;
using Postern.Core.Stages;
using Postern.Milter;
using Postern.Tests.Pki.Tls;

namespace Postern.Tests.Milter;

/// <summary>The handler driven without an SMTP session, as a local submission drives it.</summary>
public sealed class MilterSessionTests
{
    private static readonly SessionFacts Local = new(new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.Loopback, 0), "local", ListenerRole.Msa);

    private static readonly byte[] Block = "Subject: local\r\n\r\n"u8.ToArray();

    [Fact]
    public async Task A_first_stage_after_connect_opens_the_connection_and_sends_connect_first()
    {
        await using var milter = new FakeMilter { Respond = c => c.Code == 'E' ? [MilterWire.Reply('h', "X-Checked", "yes"), MilterWire.Reply('c')] : null };
        var directory = Directory.CreateTempSubdirectory("postern-milter-session-").FullName;
        try
        {
            var handler = new MilterStageHandler(milter.Definition(), new MilterEnvironment("mx.test", TimeProvider.System, new CollectingLogger()) { TemporaryDirectory = directory });
            var session = handler.OpenSession();
            var sender = new Mailbox("root", "mx.test");
            var recipient = new Mailbox("user", "example.org");
            var draft = new MessageDraft(
                new Envelope { Sender = sender, Recipients = [new EnvelopeRecipient(recipient)], Client = new ClientInfo(null, null, "local", "local"), ReceivedAt = DateTimeOffset.UnixEpoch },
                HeaderBlock.Parse(Block),
                () => new MemoryStream("body\r\n"u8.ToArray()));

            Assert.True((await session.MailAsync(Local, sender, [], CancellationToken.None)).IsAccepted);
            Assert.True((await session.RecipientAsync(Local, sender, recipient, [], CancellationToken.None)).IsAccepted);
            Assert.True((await session.HeadersAsync(Local, Block, CancellationToken.None)).IsAccepted);
            Assert.True((await session.BodyChunkAsync(Local, "body\r\n"u8.ToArray(), CancellationToken.None)).IsAccepted);
            Assert.True((await session.EndOfDataAsync(Local, draft, CancellationToken.None)).IsAccepted);
            await session.CloseAsync(Local, CancellationToken.None);
            await milter.WaitForAsync('Q');

            Assert.Equal("OCMRLNBEQ", milter.Codes);
            Assert.Equal("yes", Assert.Single(draft.Headers, h => h.Is("X-Checked")).Value);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
