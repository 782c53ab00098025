using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Policy;
using Postern.Core.Tls;
using Postern.Server.Auth;
using Postern.Server.Options;

namespace Postern.Tests.Server.Auth;

/// <summary>Builds dialog sessions with AUTH: fake mechanisms and users, options per test.</summary>
internal static class AuthDialog
{
    public static SmtpServerOptions Options(
        AuthOptions? auth = null,
        ListenerTlsMode tls = ListenerTlsMode.None,
        ListenerAuthMode mode = ListenerAuthMode.Offer,
        ClientCertificateMode clientCertificates = ClientCertificateMode.None,
        TimeSpan? failureDelay = null) =>
        DialogHarness.DefaultOptions() with
        {
            Auth = (auth ?? new AuthOptions()) with { FailureDelay = failureDelay ?? TimeSpan.Zero },
            Listeners =
            [
                new ListenerOptions("msa", new IPEndPoint(IPAddress.Loopback, 587), ListenerRole.Msa)
                {
                    Tls = tls,
                    Auth = mode,
                    ClientCertificates = clientCertificates,
                },
            ],
        };

    public static AuthServices Services(SmtpServerOptions options, FakeTimeProvider clock, FakeUserDirectory? users = null) =>
        new(FakeMechanismFactory.Standard(), users ?? new FakeUserDirectory(), new AuthFailureLimiter(options.Auth, clock));

    public static async Task<DialogHarness> ConnectAsync(
        SmtpServerOptions options,
        AuthServices? auth = null,
        FakeTimeProvider? clock = null,
        IServerTlsContext? tls = null,
        ILogger? logger = null)
    {
        clock ??= new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 15, 22, 19, TimeSpan.Zero));
        auth ??= Services(options, clock);
        return await DialogHarness.ConnectAsync(
            options, clock: clock, tls: tls, configure: s => (logger is null ? s : s with { Logger = logger }) with { Auth = auth });
    }

    public static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public static string Plain(string user, string password, string authz = "") => B64(authz + "\0" + user + "\0" + password);

    /// <summary>Sends a line and returns the whole reply that follows.</summary>
    public static async Task<string> ReadAfterAsync(this DialogHarness dialog, string line)
    {
        await dialog.SendAsync(line);
        return await dialog.ReadReplyAsync();
    }
}
