using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Protocol.Commands;
using Postern.Protocol.Data;

namespace Postern.Server.Session;

/// <summary>One MAIL ... DATA/BDAT transaction; RSET, HELO/EHLO and a finished message discard it.</summary>
internal sealed class MailTransaction(MailFromCommand mail) : IAsyncDisposable
{
    public MailFromCommand Mail { get; } = mail;

    public Mailbox? Sender => Mail.Sender;

    public List<EnvelopeRecipient> Recipients { get; } = [];

    /// <summary>Temporary RCPT refusals so far (over the recipient limit, or a policy's 4xx), for the overshoot allowance.</summary>
    public int SoftRecipientRefusals { get; set; }

    /// <summary>The spool file a BDAT sequence is writing, from its first chunk to LAST.</summary>
    public IMessageWriter? ChunkWriter { get; set; }

    /// <summary>What the BDAT chunks are written through (Message-ID sniffer, content stages) to <see cref="ChunkWriter"/>.</summary>
    public OpenedMessage? ChunkMessage { get; set; }

    public LineEndNormalizer ChunkLineEnds { get; } = new();

    public long ChunkBytes { get; set; }

    /// <summary>Set when a BDAT chunk failed: later chunks are read and discarded with this reply.</summary>
    public SmtpReply? ChunkFailure { get; set; }

    public bool ChunkingStarted { get; set; }

    /// <summary>Set by a DISCARD verdict (stage and reason): the message is read and dropped.</summary>
    public string? DiscardReason { get; set; }

    /// <summary>Set by a QUARANTINE verdict: the message is queued on hold with this reason.</summary>
    public string? QuarantineReason { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (ChunkWriter is { } writer)
        {
            ChunkWriter = null;
            await writer.DisposeAsync();
        }
    }
}
