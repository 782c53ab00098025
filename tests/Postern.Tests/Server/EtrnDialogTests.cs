using System.Net;
using Postern.Core.Policy;
using Postern.Server.Options;

namespace Postern.Tests.Server;

public sealed class EtrnDialogTests
{
    [Fact]
    public async Task Ehlo_advertises_etrn_on_an_mta_listener_with_queue_control()
    {
        await using var dialog = await DialogHarness.ConnectAsync(queueControl: new FakeQueueControl(0));
        await dialog.SendAsync("EHLO client.test\r\n");
        var reply = await dialog.ExpectAsync("250-mx.test");
        Assert.Contains("250-ETRN\n", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_queue_control_etrn_is_neither_advertised_nor_accepted()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAsync("EHLO client.test\r\n");
        var reply = await dialog.ExpectAsync("250-mx.test");
        Assert.DoesNotContain("ETRN", reply, StringComparison.Ordinal);
        await dialog.SendAndExpectAsync("ETRN example.org\r\n", "502 5.5.1 Error: ETRN not offered");
    }

    [Theory]
    [InlineData(ListenerRole.Msa, null)]
    [InlineData(ListenerRole.Mta, false)]
    public async Task A_listener_without_etrn_refuses_it(ListenerRole role, bool? etrn)
    {
        var listener = new ListenerOptions("l", new IPEndPoint(IPAddress.Loopback, 25), role);
        var options = DialogHarness.DefaultOptions() with { Listeners = [etrn is { } value ? listener with { Etrn = value } : listener] };
        var control = new FakeQueueControl(3);
        await using var dialog = await DialogHarness.ConnectAsync(options, queueControl: control);
        await dialog.SendAsync("EHLO client.test\r\n");
        var reply = await dialog.ExpectAsync("250-mx.test");
        Assert.DoesNotContain("ETRN", reply, StringComparison.Ordinal);
        await dialog.SendAndExpectAsync("ETRN example.org\r\n", "502 5.5.1");
        Assert.Empty(control.Requests);
    }

    [Fact]
    public async Task Etrn_before_helo_gets_503()
    {
        var control = new FakeQueueControl(1);
        await using var dialog = await DialogHarness.ConnectAsync(queueControl: control);
        await dialog.SendAndExpectAsync("ETRN example.org\r\n", "503 5.5.1 Error: send HELO/EHLO first");
        Assert.Empty(control.Requests);
    }

    [Fact]
    public async Task Etrn_inside_a_transaction_gets_503_and_the_transaction_survives()
    {
        var control = new FakeQueueControl(1);
        await using var dialog = await DialogHarness.ConnectAsync(queueControl: control);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("ETRN example.org\r\n", "503 5.5.1 Error: ETRN not allowed during a mail transaction");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250 2.1.5");
        Assert.Empty(control.Requests);
    }

    [Theory]
    [InlineData("ETRN\r\n", "501 5.5.4")]
    [InlineData("ETRN @\r\n", "501 5.5.4")]
    [InlineData("ETRN a b\r\n", "501 5.5.4")]
    [InlineData("ETRN -bad.example\r\n", "501 5.5.4")]
    [InlineData("ETRN exa_mple.org\r\n", "501 5.5.4")]
    [InlineData("ETRN [192.0.2.1]\r\n", "501 5.5.4")]
    [InlineData("ETRN #outbound\r\n", "458 4.5.4 Unable to queue messages for #outbound")]
    public async Task Bad_arguments_are_refused_without_a_flush(string command, string expected)
    {
        var control = new FakeQueueControl(1);
        await using var dialog = await DialogHarness.ConnectAsync(queueControl: control);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync(command, expected);
        Assert.Empty(control.Requests);
    }

    [Theory]
    [InlineData(2, "250 2.0.0 Queuing for node example.org started")]
    [InlineData(0, "251 2.0.0 No messages waiting for node example.org")]
    public async Task Etrn_flushes_the_domain_and_reports_whether_mail_was_waiting(int count, string expected)
    {
        var control = new FakeQueueControl(count);
        await using var dialog = await DialogHarness.ConnectAsync(queueControl: control);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync("ETRN example.org\r\n", expected);
        Assert.Equal(["example.org"], control.Requests);
    }

    [Theory]
    [InlineData("ETRN @example.org\r\n", "250 2.0.0 Queuing for node example.org started")]
    [InlineData("ETRN example.org.\r\n", "250 2.0.0 Queuing for node example.org started")]
    [InlineData("HELO c\r\nETRN Sub.Example.ORG\r\n", "250 2.0.0 Queuing for node Sub.Example.ORG started")]
    public async Task Subdomain_and_trailing_dot_forms_pass_the_bare_domain(string commands, string expected)
    {
        var control = new FakeQueueControl(1);
        await using var dialog = await DialogHarness.ConnectAsync(queueControl: control);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAsync(commands);
        if (commands.StartsWith("HELO", StringComparison.Ordinal))
        {
            await dialog.ExpectAsync("250 mx.test");
        }
        await dialog.ExpectAsync(expected);
        Assert.Equal([expected[(expected.IndexOf("node ", StringComparison.Ordinal) + 5)..expected.LastIndexOf(' ')]], control.Requests);
    }

    [Fact]
    public async Task Etrn_after_a_transaction_and_rset_is_accepted()
    {
        var control = new FakeQueueControl(1);
        await using var dialog = await DialogHarness.ConnectAsync(queueControl: control);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RSET\r\n", "250 2.0.0");
        await dialog.SendAndExpectAsync("ETRN example.net\r\n", "250 2.0.0");
        Assert.Equal(["example.net"], control.Requests);
    }
}
