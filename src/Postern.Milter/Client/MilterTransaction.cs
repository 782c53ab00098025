using Postern.Core.Addressing;
using Postern.Core.Stages;

namespace Postern.Milter.Client;

/// <summary>One MAIL ... end-of-message exchange with a milter: what it was sent, and what it said so far.</summary>
internal sealed class MilterTransaction(Mailbox? sender, IReadOnlyList<string> mailParameters)
{
    public Mailbox? Sender { get; } = sender;

    public IReadOnlyList<string> MailParameters { get; } = mailParameters;

    /// <summary>The end of message was answered: nothing is open at the milter (no abort is needed).</summary>
    public bool Completed { get; set; }

    /// <summary>The milter answered ACCEPT: it is sent nothing more of this transaction.</summary>
    public bool Accepted { get; set; }

    /// <summary>The milter answered SKIP to a body chunk: no more chunks go to it.</summary>
    public bool SkipBody { get; set; }

    /// <summary>The first SMFIR_QUARANTINE reason of the transaction.</summary>
    public string? Quarantine { get; set; }

    /// <summary>The header fields sent as the message streamed in; null before the header block.</summary>
    public List<HeaderField>? StreamedHeaders { get; set; }

    /// <summary>The milter's replacement body, once it sent one.</summary>
    public ReplacementBody? Replacement { get; set; }

    /// <summary>Removes the replacement body's file (the spool has copied it, or the message is gone).</summary>
    public void RemoveReplacement()
    {
        Replacement?.Dispose();
        Replacement = null;
    }
}
