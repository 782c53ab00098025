using Postern.Core.Queueing;

namespace Postern.Protocol.Commands;

/// <summary>
/// A MAIL BY= parameter (RFC 2852): <c>BY=&lt;by-time&gt;;&lt;R|N&gt;[T]</c>. The by-time is relative
/// (seconds from when the message is received) and may be zero or negative in N mode.
/// </summary>
public sealed record DeliverByParameter(long Seconds, DeliverByMode Mode, bool Trace)
{
    /// <summary>
    /// The smallest by-time this server accepts in R mode, advertised as <c>DELIVERBY 60</c>:
    /// a minute leaves room for one queue pass and one relay attempt.
    /// </summary>
    public const int MinimumSeconds = 60;

    /// <summary>RFC 2852 section 4: by-time is an optional sign and 1 to 9 digits.</summary>
    public const int MaxDigits = 9;

    /// <summary>The parameter value as sent on the wire, e.g. <c>120;RT</c>.</summary>
    public string Format() =>
        Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)
        + (Mode == DeliverByMode.Return ? ";R" : ";N") + (Trace ? "T" : "");
}
