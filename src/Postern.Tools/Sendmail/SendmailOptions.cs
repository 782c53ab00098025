using Postern.Core.Queueing;

namespace Postern.Tools.Sendmail;

/// <summary>A parsed sendmail command line.</summary>
public sealed record SendmailOptions
{
    public SendmailMode Mode { get; init; } = SendmailMode.Submit;

    /// <summary><c>-f</c>/<c>-r</c>: the envelope sender as given (may be <c>&lt;&gt;</c>).</summary>
    public string? Sender { get; init; }

    /// <summary><c>-F</c>: the sender's full name for a generated From: header.</summary>
    public string? FullName { get; init; }

    /// <summary><c>-t</c>: recipients from the To:, Cc: and Bcc: headers.</summary>
    public bool ExtractRecipients { get; init; }

    /// <summary><c>-i</c>/<c>-oi</c>: a line with a single dot does not end the message.</summary>
    public bool IgnoreDots { get; init; }

    public bool Verbose { get; init; }

    /// <summary><c>-d0.1</c> (or any <c>-d0.N</c>): print the version and the compiled-in features first.</summary>
    public bool ShowVersion { get; init; }

    /// <summary><c>-odq</c>: queue only, do not wake the daemon.</summary>
    public bool QueueOnly { get; init; }

    /// <summary><c>-qRdomain</c>: process only messages for this domain.</summary>
    public string? QueueDomain { get; init; }

    public BodyType? Body { get; init; }

    public DsnNotify Notify { get; init; } = DsnNotify.None;

    public DsnReturn Return { get; init; } = DsnReturn.Unspecified;

    public string? EnvelopeId { get; init; }

    /// <summary><c>-C file</c> or <c>--config file</c>.</summary>
    public string? ConfigPath { get; init; }

    /// <summary><c>--data-dir dir</c> (Postern's extension).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The arguments after the options: recipients, or addresses for <c>-bv</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Accepted options that have no effect here, for <c>-v</c>.</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];
}
