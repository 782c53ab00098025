using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Pki.Acme.Challenges;

namespace Postern.Tests.Pki.Acme.Challenges;

public sealed class Http01ResponderTests : IAsyncLifetime, IDisposable
{
    private const string Token = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
    private const string KeyAuthorization = Token + ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";
    private Http01Responder _responder = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _responder = Http01Responder.Start(new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System, NullLogger.Instance);
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{_responder.LocalEndPoint.Port}") };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _responder.DisposeAsync();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task A_published_token_is_answered_with_its_key_authorization_as_text_plain()
    {
        await _responder.PublishAsync("mail.example.org", Token, KeyAuthorization, CancellationToken.None);

        using var response = await _client.GetAsync("/.well-known/acme-challenge/" + Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(KeyAuthorization, await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.ConnectionClose);
    }

    [Fact]
    public async Task A_withdrawn_token_is_not_found()
    {
        await _responder.PublishAsync("mail.example.org", Token, KeyAuthorization, CancellationToken.None);
        await _responder.WithdrawAsync("mail.example.org", Token, CancellationToken.None);

        using var response = await _client.GetAsync("/.well-known/acme-challenge/" + Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/.well-known/acme-challenge/unknown-token")]
    [InlineData("/.well-known/acme-challenge/../../etc/passwd")]
    public async Task Anything_else_is_a_404_saying_what_the_port_is_for(string path)
    {
        await _responder.PublishAsync("mail.example.org", Token, KeyAuthorization, CancellationToken.None);

        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("answers ACME http-01 challenges only", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_methods_get_the_404()
    {
        await _responder.PublishAsync("mail.example.org", Token, KeyAuthorization, CancellationToken.None);

        using var response = await _client.PostAsync("/.well-known/acme-challenge/" + Token, new StringContent("x"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_request_head_over_8_KiB_is_refused_without_waiting_for_its_end()
    {
        var reply = await RawAsync("GET /" + new string('a', 9000));

        Assert.StartsWith("HTTP/1.1 431 ", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_sends_nothing_is_dropped_at_the_deadline()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var responder = Http01Responder.Start(new IPEndPoint(IPAddress.Loopback, 0), time, NullLogger.Instance);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(responder.LocalEndPoint);
        var read = socket.ReceiveAsync(new byte[16], SocketFlags.None);

        await Task.Delay(200);
        Assert.False(read.IsCompleted);
        // Advance until the connection's deadline, whenever its timer was made, has passed.
        for (var i = 0; i < 100 && !read.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(11));
            await Task.WhenAny(read, Task.Delay(100));
        }

        Assert.Equal(0, await read.WaitAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_second_responder_on_the_same_address_fails_with_the_setting_named()
    {
        var e = Assert.Throws<ChallengeBindException>(() => Http01Responder.Start(_responder.LocalEndPoint, TimeProvider.System, NullLogger.Instance));

        Assert.Equal($"acme.http_listen ({_responder.LocalEndPoint}): address already in use", e.Message);
    }

    private async Task<string> RawAsync(string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_responder.LocalEndPoint);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10));
        return Encoding.ASCII.GetString(buffer, 0, received);
    }
}
