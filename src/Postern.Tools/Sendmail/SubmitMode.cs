using Postern.Config;
using Postern.Delivery.Local;

namespace Postern.Tools.Sendmail;

/// <summary>
/// <c>sendmail -bm</c> (the default) and <c>-t</c>: the message from stdin into the spool or the
/// maildrop, then the running daemon woken. Shared by <c>postern sendmail</c> and the native
/// <c>sendmail</c> entry point, so both submit alike: same files, messages and exit codes.
/// </summary>
public static class SubmitMode
{
    public static async Task<int> RunAsync(string personality, SendmailOptions options, PosternConfiguration configuration, LocalRecipientDirectory directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        var submission = new LocalSubmission(configuration, directory, SubmittingUser.Current(), TimeProvider.System, Console.Out);
        try
        {
            await using var input = Console.OpenStandardInput();
            await submission.SubmitAsync(options, input, cancellationToken);
        }
        catch (SubmissionException e)
        {
            foreach (var line in e.Message.Split('\n'))
            {
                await Console.Error.WriteLineAsync($"{personality}: {line}");
            }
            return e.ExitCode;
        }
        if (options.QueueOnly || submission.UsedMaildrop)
        {
            return ExitCodes.Ok;
        }
        if (!LocalSubmission.WakeDaemon(configuration.DataDirectory, out var problem) && options.Verbose)
        {
            await Console.Out.WriteLineAsync($"no running postern ({problem}): the message stays queued until it starts");
        }
        return ExitCodes.Ok;
    }
}
