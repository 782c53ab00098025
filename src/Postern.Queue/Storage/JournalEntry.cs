namespace Postern.Queue.Storage;

/// <summary>
/// One line of a message's recipient journal: recipient <see cref="Recipient"/> (its index in the
/// envelope) was delivered, failed (with the reply, for the bounce), had its failure bounced, was
/// deferred (with the reply, the message's attempt count and when it is tried next), or had a
/// delay warning, DELIVERBY delay report or SUCCESS notice handed over.
/// </summary>
internal sealed record JournalEntry
{
    public required int Recipient { get; init; }

    public required JournalKind Kind { get; init; }

    public int Code { get; init; }

    public string? Status { get; init; }

    public IReadOnlyList<string>? Lines { get; init; }

    public string? Mailer { get; init; }

    public string? Relay { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>Delivered only: true when relayed to a next hop without DSN (a SUCCESS notice says "relayed").</summary>
    public bool? NextHopLacksDsn { get; init; }

    /// <summary>Deferred only: how many attempts the message has had, this one included.</summary>
    public int? Attempts { get; init; }

    /// <summary>Deferred only: when the runner tries the message next (a restart honours it).</summary>
    public DateTimeOffset? Next { get; init; }
}
