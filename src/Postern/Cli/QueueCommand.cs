using System.CommandLine;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Cli.Flush;
using Postern.Config;
using Postern.Core.Queueing;
using Postern.Queue;

namespace Postern.Cli;

/// <summary>
/// <c>postern queue list|show</c>: reads the spool of the configured data directory directly, so it
/// works with or without a running daemon. Read-only: no recovery, nothing created, moved or deleted.
/// <c>hold|release|delete|flush</c>: see <see cref="QueueControl"/>.
/// </summary>
internal static class QueueCommand
{
    /// <summary>How long <c>flush --wait</c> waits without <c>--timeout</c>.</summary>
    internal static readonly TimeSpan DefaultFlushTimeout = TimeSpan.FromMinutes(5);

    private const int OutputBufferSize = 64 * 1024;

    public static Command Create()
    {
        var command = new Command("queue", "Inspect and manage the mail queue (mailq)")
        {
            CreateList(),
            CreateShow(),
            CreateFlush(),
            CreateChange(QueueAction.Hold, "hold", "Put a message on hold: it is not attempted until released"),
            CreateChange(QueueAction.Release, "release", "Release a held message: it resumes its retry schedule"),
            CreateChange(QueueAction.Delete, "delete", "Delete a message from the queue, without a bounce"),
        };
        return command;
    }

    private static Command CreateFlush()
    {
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var domain = new Argument<string?>("domain") { Description = "Only messages with a recipient in this domain or its subdomains", Arity = ArgumentArity.ZeroOrOne };
        var wait = new Option<bool>("--wait") { Description = "Wait, showing how many messages are left, until each was attempted (delivered, deferred or bounced)" };
        var timeout = new Option<string?>("--timeout") { HelpName = "DURATION", Description = $"How long --wait waits (implies --wait): 30s, 5m, 1h; default {DurationSyntax.Format(DefaultFlushTimeout)}; exit 75 when messages are left" };
        var flush = new Command("flush", "Ask the running daemon to attempt every message (not on hold) now, or those for DOMAIN") { domain, wait, timeout, config, dataDir };
        flush.SetAction((parse, cancellationToken) =>
        {
            var timeoutText = parse.GetValue(timeout);
            if (!parse.GetValue(wait) && timeoutText is null)
            {
                return Task.FromResult(WithConfiguration(parse.GetValue(config), parse.GetValue(dataDir),
                    c => QueueControl.Flush(parse.GetValue(domain), c.Queue, c.DataDirectory, Console.Out, Console.Error)));
            }
            var limit = DefaultFlushTimeout;
            if (timeoutText is not null && (!DurationSyntax.TryParse(timeoutText, out limit) || limit <= TimeSpan.Zero))
            {
                Console.Error.WriteLine($"postern: queue: --timeout {timeoutText}: expected a duration such as 30s, 5m or 1h");
                return Task.FromResult(ExitCodes.Usage);
            }
            var loaded = ConfigurationLoader.LoadForLocalUse(parse.GetValue(config), parse.GetValue(dataDir), Environment.GetEnvironmentVariable);
            if (!loaded.Succeeded)
            {
                return Task.FromResult(ConfigurationErrors.Report(loaded, Console.Error, "queue not changed"));
            }
            var progress = new FlushProgress(Console.Error, interactive: !Console.IsErrorRedirected, TimeProvider.System);
            return FlushAndWait.RunAsync(parse.GetValue(domain), loaded.Configuration.Queue, loaded.Configuration.DataDirectory, limit, progress, TimeProvider.System,
                Console.Out, Console.Error, cancellationToken);
        });
        return flush;
    }

    private static Command CreateChange(QueueAction action, string name, string description)
    {
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var id = new Argument<string>("id") { Description = "The queue id (as `postern queue list` and the mail log show it)" };
        var command = new Command(name, description) { id, config, dataDir };
        command.SetAction(parse => WithConfiguration(parse.GetValue(config), parse.GetValue(dataDir),
            c => QueueControl.Change(action, parse.GetValue(id)!, c.Queue, c.DataDirectory, Console.Out, Console.Error)));
        return command;
    }

    private static int WithConfiguration(string? configPath, string? dataDir, Func<PosternConfiguration, int> run)
    {
        var result = ConfigurationLoader.LoadForLocalUse(configPath, dataDir, Environment.GetEnvironmentVariable);
        return result.Succeeded ? run(result.Configuration) : ConfigurationErrors.Report(result, Console.Error, "queue not changed");
    }

    private static Command CreateList()
    {
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var list = new Command("list", "List the queued messages, mailq style: id, size, queue time, sender, recipients and their state") { config, dataDir };
        list.SetAction((parse, cancellationToken) => ListAsync(parse.GetValue(config), parse.GetValue(dataDir), cancellationToken));
        return list;
    }

    private static Command CreateShow()
    {
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var id = new Argument<string>("id") { Description = "The queue id (as `postern queue list` and the mail log show it)" };
        var show = new Command("show", "Show one queued message: envelope, recipient states with the last reply, and its headers") { id, config, dataDir };
        show.SetAction((parse, cancellationToken) => ShowAsync(parse.GetValue(id)!, parse.GetValue(config), parse.GetValue(dataDir), cancellationToken));
        return show;
    }

    /// <summary>Lists the queue (also <c>mailq</c> and <c>sendmail -bp</c>).</summary>
    internal static async Task<int> ListAsync(string? configPath, string? dataDir, CancellationToken cancellationToken)
    {
        var (spool, exit) = Open(configPath, dataDir);
        if (exit is not null)
        {
            return exit.Value;
        }
        // Console.Out flushes every line (a write system call each: 300,000 for a queue of 100,000);
        // a buffered writer on standard output makes that a few hundred.
        await using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), OutputBufferSize);
        await Task.Run(() => QueueListFormat.Write(output, spool is null ? [] : spool.Inspection.Inspect(cancellationToken), TimeZoneInfo.Local), cancellationToken);
        return ExitCodes.Ok;
    }

    private static async Task<int> ShowAsync(string idText, string? configPath, string? dataDir, CancellationToken cancellationToken)
    {
        if (!QueueId.TryParse(idText, out var id))
        {
            await Console.Error.WriteLineAsync($"postern: queue: {idText} is not a queue id (16 letters and digits)");
            return ExitCodes.Usage;
        }
        var (spool, exit) = Open(configPath, dataDir);
        if (exit is not null)
        {
            return exit.Value;
        }
        var message = spool is null ? null : await spool.Inspection.TryGetAsync(id, cancellationToken);
        if (message is null)
        {
            await Console.Error.WriteLineAsync($"postern: queue: no message {id.Value} in the queue");
            return ExitCodes.NoUser;
        }
        string headers;
        try
        {
            await using var body = message.OpenBody();
            headers = QueueShowFormat.ReadHeaders(body);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Delivered and removed between reading the envelope and the body.
            await Console.Error.WriteLineAsync($"postern: queue: no message {id.Value} in the queue ({e.Message})");
            return ExitCodes.NoUser;
        }
        QueueShowFormat.Write(Console.Out, message, headers, TimeZoneInfo.Local);
        return ExitCodes.Ok;
    }

    /// <summary>The spool of the configured data directory; null spool = none there yet (an empty queue); a non-null exit code = error printed.</summary>
    private static (Spool? Spool, int? Exit) Open(string? configPath, string? dataDir)
    {
        var result = ConfigurationLoader.LoadForLocalUse(configPath, dataDir, Environment.GetEnvironmentVariable);
        if (!result.Succeeded)
        {
            return (null, ConfigurationErrors.Report(result, Console.Error, "queue not read"));
        }
        var queue = result.Configuration.Queue;
        try
        {
            return (Spool.OpenExisting(queue, TimeProvider.System, NullLogger<Spool>.Instance), null);
        }
        catch (UnauthorizedAccessException)
        {
            return (null, QueuePermission.Denied(Console.Error, queue.SpoolDirectory));
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"postern: queue: cannot read {queue.SpoolDirectory}: {e.Message}");
            return (null, ExitCodes.IoError);
        }
    }
}
