using Postern.Core.Addressing;
using Postern.Core.Queueing;

namespace Postern.Core.Stages;

/// <summary>
/// The message at end of data as the handlers so far left it: envelope, header fields and body.
/// Handlers that edit messages change it through these methods (they mirror the milter
/// protocol's); the session writes the spool file from the result, streaming the body, and never
/// learns which handler changed what. Each handler sees the previous handlers' edits.
/// </summary>
public sealed class MessageDraft
{
    private readonly List<HeaderField> _headers;
    private readonly Func<Stream> _originalBody;
    private Func<Stream>? _replacementBody;

    /// <param name="envelope">The envelope as accepted.</param>
    /// <param name="headers">The received header fields (the draft edits this list).</param>
    /// <param name="originalBody">Opens the received body (after the header block) for reading.</param>
    public MessageDraft(Envelope envelope, List<HeaderField> headers, Func<Stream> originalBody)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(originalBody);
        Envelope = envelope;
        _headers = headers;
        _originalBody = originalBody;
    }

    public Envelope Envelope { get; private set; }

    public IReadOnlyList<HeaderField> Headers => _headers;

    /// <summary>Some handler changed the headers, the body or the envelope.</summary>
    public bool IsEdited { get; private set; }

    /// <summary>A handler replaced the body; <see cref="OpenBody"/> reads the replacement.</summary>
    public bool BodyReplaced => _replacementBody is not null;

    /// <summary>Appends a field at the end of the header block (milter ADDHEADER).</summary>
    public void AddHeader(string name, string value) => InsertHeader(_headers.Count, name, value);

    /// <summary>Inserts a field before the <paramref name="index"/>th one, 0 being the top (milter INSHEADER).</summary>
    public void InsertHeader(int index, string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        _headers.Insert(Math.Clamp(index, 0, _headers.Count), new HeaderField(name, value));
        IsEdited = true;
    }

    /// <summary>
    /// Changes the <paramref name="occurrence"/>th (from 1) field named <paramref name="name"/>;
    /// a null value deletes it (milter CHGHEADER). False when there is no such field.
    /// </summary>
    public bool ChangeHeader(string name, int occurrence, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var seen = 0;
        for (var i = 0; i < _headers.Count; i++)
        {
            if (!_headers[i].Is(name) || ++seen != occurrence)
            {
                continue;
            }
            if (value is null)
            {
                _headers.RemoveAt(i);
            }
            else
            {
                _headers[i] = new HeaderField(_headers[i].Name, value);
            }
            IsEdited = true;
            return true;
        }
        return false;
    }

    /// <summary>Deletes the <paramref name="occurrence"/>th (from 1) field named <paramref name="name"/>.</summary>
    public bool DeleteHeader(string name, int occurrence) => ChangeHeader(name, occurrence, null);

    /// <summary>
    /// Replaces the body (milter REPLBODY): <paramref name="open"/> is called when the spool file
    /// is written, and the stream it returns is copied in chunks, never held whole in memory. The
    /// caller owns what the stream reads from until the message is committed.
    /// </summary>
    public void ReplaceBody(Func<Stream> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        _replacementBody = open;
        IsEdited = true;
    }

    /// <summary>Opens the body as it stands: the last replacement, else the body as received.</summary>
    public Stream OpenBody() => (_replacementBody ?? _originalBody)();

    /// <summary>Changes the envelope sender; null is the null sender &lt;&gt; (milter CHGFROM).</summary>
    public void ChangeSender(Mailbox? sender)
    {
        Envelope = Envelope with { Sender = sender };
        IsEdited = true;
    }

    /// <summary>Adds an envelope recipient, unless it is one already (milter ADDRCPT).</summary>
    public void AddRecipient(Mailbox recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        AddRecipient(new EnvelopeRecipient(recipient));
    }

    /// <summary>Adds an envelope recipient with its DSN parameters, unless it is one already (milter ADDRCPT_PAR).</summary>
    public void AddRecipient(EnvelopeRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        if (IndexOf(recipient.Address) >= 0)
        {
            return;
        }
        Envelope = Envelope with { Recipients = [.. Envelope.Recipients, recipient] };
        IsEdited = true;
    }

    /// <summary>Removes an envelope recipient (milter DELRCPT); false when it is not one.</summary>
    public bool RemoveRecipient(Mailbox recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var index = IndexOf(recipient);
        if (index < 0)
        {
            return false;
        }
        var recipients = new List<EnvelopeRecipient>(Envelope.Recipients);
        recipients.RemoveAt(index);
        Envelope = Envelope with { Recipients = recipients };
        IsEdited = true;
        return true;
    }

    private int IndexOf(Mailbox recipient)
    {
        var wanted = recipient.ToString();
        for (var i = 0; i < Envelope.Recipients.Count; i++)
        {
            if (string.Equals(Envelope.Recipients[i].Address.ToString(), wanted, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }
}
