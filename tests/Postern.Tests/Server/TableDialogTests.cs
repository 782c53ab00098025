using Postern.Core.Delivery;
using Postern.Policy;
using Postern.Policy.Access;
using Postern.Tests.Policy;
using Postern.Tests.Policy.Maps;

namespace Postern.Tests.Server;

/// <summary>
/// A session over the real policy with its access map in a table: while the table answers the
/// dialogue is as with a file; when it stops answering, each stage that needs it gets 4.3.0 and
/// nothing is accepted; when it is back, the same session goes on.
/// </summary>
public sealed class TableDialogTests
{
    private static RelayPolicy Policy(FakeTable table) =>
        new(() => new LocalDomain("localhost", LocalRecipientStatus.Known), new RelayPolicyOptions(), new PolicyMaps { Access = AccessMapSource.Table(table) });

    [Fact]
    public async Task A_table_that_stops_answering_defers_each_stage_and_the_session_resumes_when_it_is_back()
    {
        var table = FakeTable.FromAccessFile("To:blocked.example\tREJECT\n");
        await using var dialog = await DialogHarness.ConnectAsync(Policy(table));
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<x@blocked.example>\r\n", "550 5.7.1 Access denied");

        table.Down = true;
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "451 4.3.0 Temporary lookup failure");
        await dialog.SendAndExpectAsync("RSET\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "451 4.3.0 Temporary lookup failure");

        table.Down = false;
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250 2.1.5");
    }

    [Fact]
    public async Task A_table_that_cannot_answer_at_connect_refuses_the_greeting_with_421()
    {
        var table = FakeTable.Empty("pgsql:access");
        table.Down = true;
        await using var dialog = new DialogHarness(Policy(table), null);

        await dialog.ExpectAsync("421 4.3.0 Temporary lookup failure");
        Assert.True(await dialog.ServerClosedAsync());
    }
}
