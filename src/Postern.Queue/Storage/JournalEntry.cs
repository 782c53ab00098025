namespace Postern.Queue.Storage;

/// <summary>
/// One line of a message's recipient journal: recipient <see cref="Recipient"/> (its index in the
/// envelope) was delivered, failed (with the reply, for the bounce) or had its failure bounced.
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
}
