using Postern.Config;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Queue.Maildrop;
using Postern.Tools.Sendmail;

namespace Postern.Hosting.Pickup;

/// <summary>
/// The daemon's check of a maildrop submission: the same rules `sendmail` applied before writing
/// it (<see cref="LocalRecipientRule"/>, the recipient limit), applied again because the file is
/// only as trustworthy as the local user who wrote it; and its Received header, naming the uid
/// the kernel reports for the file's owner.
/// </summary>
internal sealed class LocalSubmissionRules(PosternConfiguration configuration, Func<ILocalRecipients> local, TimeProvider clock) : IMaildropPolicy
{
    public string? Refusal(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Recipients.Count == 0)
        {
            return "no recipients";
        }
        if (envelope.Recipients.Count > configuration.Server.MaxRecipients)
        {
            return $"too many recipients ({envelope.Recipients.Count}; limits.max_recipients is {configuration.Server.MaxRecipients})";
        }
        var directory = local();
        foreach (var recipient in envelope.Recipients)
        {
            if (LocalRecipientRule.Check(recipient.Address, directory) is { } refusal)
            {
                return refusal.Lines[0];
            }
        }
        return null;
    }

    public string UserName(uint userId) =>
        LocalUserNames.NameOf(userId) ?? userId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string TraceHeader(uint userId, QueueId id, Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var user = new SubmittingUser(LocalUserNames.NameOf(userId) ?? "unknown", userId);
        return SubmissionHeaders.Received(user, configuration.Server.HostName, id, envelope.Recipients, clock.GetLocalNow());
    }
}
