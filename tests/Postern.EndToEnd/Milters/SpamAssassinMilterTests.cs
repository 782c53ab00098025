using System.Text.RegularExpressions;

namespace Postern.EndToEnd.Milters;

/// <summary>
/// spamass-milter with a private spamd behind Postern's mta listener (the listener's own
/// <c>milters</c> list): the GTUBE message is refused with spamass-milter's 5xx at end of data and
/// never delivered; a clean message is delivered with SpamAssassin's headers.
/// </summary>
public sealed class SpamAssassinMilterTests(SpamAssassinMilterTests.Server server) : IClassFixture<SpamAssassinMilterTests.Server>
{
    [Fact]
    public async Task The_gtube_message_is_refused_with_a_5xx_and_a_clean_one_is_delivered()
    {
        var spam = "spam-" + Guid.NewGuid().ToString("N")[..12];
        var refused = await Send(spam, $"Subject: {spam}\n\n{SpamAssassin.Gtube}\n");
        Assert.True(Regex.IsMatch(refused, @"DATA 5\d\d 5\.7\.1 "), refused + "\n" + server.SpamAssassin.Log);

        var clean = "clean-" + Guid.NewGuid().ToString("N")[..12];
        var accepted = await Send(clean, $"Subject: lunch on friday {clean}\nDate: {DateTime.UtcNow:R}\nMessage-ID: <{clean}@laptop.test>\n\nSee you at noon.\n");
        Assert.True(accepted.Contains("DATA 250 ", StringComparison.Ordinal), accepted + "\n" + server.SpamAssassin.Log);

        var delivered = await server.Postern.WaitForMailAsync("user", clean, TimeSpan.FromSeconds(60));
        Assert.Contains("X-Spam-Status: No", delivered, StringComparison.Ordinal);
        Assert.Contains("X-Spam-Checker-Version: SpamAssassin", delivered, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFiles(server.Postern.MaildirNew("user")), f => File.ReadAllText(f).Contains(spam, StringComparison.Ordinal));
        Assert.Contains("milter=spamassassin", server.Postern.Log, StringComparison.Ordinal);
    }

    private Task<string> Send(string token, string message) =>
        new SmtpTransaction("joe@laptop.test", ["user@example.test"], $"From: joe@laptop.test\nTo: user@example.test\nX-Token: {token}\n" + message)
            .RunAsync(server.Postern.Mta.Port);

    /// <summary>Postern with spamass-milter on its mta listener only; the submission listener has none.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public SpamAssassin SpamAssassin { get; private set; } = null!;

        public PosternProcess Postern { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            SpamAssassin = await SpamAssassin.StartAsync();
            var config = PosternConfig.Host("mx.example.test")
                .WithListener("mta", "mta", extra: "milters = [\"spamassassin\"]")
                .WithLocal(["example.test"], ["user"])
                .WithSection(MilteredPostern.MilterEntry("spamassassin", SpamAssassin.Daemon))
                .ToToml();
            Postern = await PosternProcess.StartAsync(config, listeners: 1);
        }

        public async Task DisposeAsync()
        {
            if (Postern is not null)
            {
                await MilteredPostern.StopAsync(Postern);
            }
            if (SpamAssassin is not null)
            {
                await SpamAssassin.DisposeAsync();
            }
        }
    }
}
