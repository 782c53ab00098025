using System.Net;
using Postern.Core.Addressing;
using Postern.Core.Queueing;

namespace Postern.Queue.Storage;

/// <summary>Converts between Core's <see cref="Envelope"/> and its on-disk record.</summary>
internal static class EnvelopeMapper
{
    public static SpoolRecord ToRecord(Envelope envelope, DateTimeOffset queuedAt) => new()
    {
        QueuedAt = queuedAt,
        Sender = envelope.Sender is { } sender ? ToRecord(sender) : null,
        Recipients = [.. envelope.Recipients.Select(r => new SpoolRecipient(ToRecord(r.Address), r.Notify, r.OriginalRecipient))],
        Body = envelope.Body,
        SmtpUtf8 = envelope.SmtpUtf8,
        Return = envelope.Return,
        EnvelopeId = envelope.EnvelopeId,
        AuthParameter = envelope.AuthParameter,
        DeliverBy = envelope.DeliverBy is { } by ? new SpoolDeliverBy(by.Deadline, by.Mode, by.Trace) : null,
        RequireTls = envelope.RequireTls,
        Client = new SpoolClient(
            envelope.Client.Address?.ToString(),
            envelope.Client.HeloName,
            envelope.Client.Protocol,
            envelope.Client.ListenerName,
            envelope.Client.AuthenticatedUser),
        QuarantineReason = envelope.QuarantineReason,
        ReceivedAt = envelope.ReceivedAt,
    };

    /// <summary>The envelope back; throws <see cref="SpoolFormatException"/> on anything missing or malformed.</summary>
    public static Envelope ToEnvelope(SpoolRecord record)
    {
        if (record.Recipients is not { Count: > 0 } recipients)
        {
            throw new SpoolFormatException("envelope has no recipients");
        }
        if (record.Client is not { Protocol: not null, ListenerName: not null } client)
        {
            throw new SpoolFormatException("envelope has no client information");
        }
        IPAddress? address = null;
        if (client.Address is not null && !IPAddress.TryParse(client.Address, out address))
        {
            throw new SpoolFormatException("envelope has a malformed client address");
        }
        return new Envelope
        {
            Sender = record.Sender is null ? null : ToMailbox(record.Sender),
            Recipients = [.. recipients.Select(r => r?.Address is null
                ? throw new SpoolFormatException("envelope has a malformed recipient")
                : new EnvelopeRecipient(ToMailbox(r.Address), r.Notify, r.OriginalRecipient))],
            Body = record.Body,
            SmtpUtf8 = record.SmtpUtf8,
            Return = record.Return,
            EnvelopeId = record.EnvelopeId,
            AuthParameter = record.AuthParameter,
            DeliverBy = record.DeliverBy is { } by ? new DeliverBy(by.Deadline, by.Mode, by.Trace) : null,
            RequireTls = record.RequireTls,
            Client = new ClientInfo(address, client.HeloName, client.Protocol, client.ListenerName, client.AuthenticatedUser),
            QuarantineReason = record.QuarantineReason,
            ReceivedAt = record.ReceivedAt,
        };
    }

    private static SpoolMailbox ToRecord(Mailbox mailbox) => new(mailbox.LocalPart, mailbox.Domain);

    private static Mailbox ToMailbox(SpoolMailbox mailbox) =>
        mailbox is { LocalPart: { Length: > 0 } local, Domain: { Length: > 0 } domain }
            ? new Mailbox(local, domain)
            : throw new SpoolFormatException("envelope has a malformed mailbox");
}
