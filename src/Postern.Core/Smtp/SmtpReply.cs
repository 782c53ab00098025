using System.Globalization;
using System.Text;

namespace Postern.Core.Smtp;

/// <summary>
/// An SMTP reply: a three-digit code, an optional enhanced status code and one or more text lines.
/// Expected outcomes travel as values of this type; exceptions are for broken I/O and bugs.
/// Two replies are equal when code, enhanced status and every line are equal.
/// </summary>
public sealed record SmtpReply
{
    public SmtpReply(int code, EnhancedStatusCode? status, params IReadOnlyList<string> lines)
    {
        if (code is < 200 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "SMTP reply codes are 200-599");
        }
        if (lines.Count == 0)
        {
            throw new ArgumentException("A reply has at least one line", nameof(lines));
        }
        Code = code;
        Status = status;
        Lines = lines;
    }

    public int Code { get; }

    public EnhancedStatusCode? Status { get; }

    public IReadOnlyList<string> Lines { get; }

    public bool IsPositive => Code < 400;

    public bool IsTransientFailure => Code is >= 400 and < 500;

    public bool IsPermanentFailure => Code >= 500;

    /// <summary>A one-line reply: <c>new SmtpReply(250, "2.1.0", "Ok")</c>.</summary>
    public SmtpReply(int code, string status, string text)
        : this(code, EnhancedStatusCode.Parse(status), text)
    {
    }

    /// <summary>A reply without an enhanced status code: the greeting, HELO/EHLO and 354 (RFC 2034).</summary>
    public static SmtpReply WithoutStatus(int code, params IReadOnlyList<string> lines) => new(code, (EnhancedStatusCode?)null, lines);

    /// <summary>
    /// This refusal as RFC 5321 allows it instead of the 220 greeting (4.3.2: 554, or 421 per 3.8),
    /// keeping the enhanced code and text: an access-map REJECT (550) at connect becomes 554.
    /// </summary>
    public SmtpReply AsGreetingRefusal() => Code switch
    {
        554 or 421 => this,
        >= 500 => new SmtpReply(554, Status, Lines),
        _ => new SmtpReply(421, Status, Lines),
    };

    /// <summary>The reply as it goes on the wire, every line ending in CRLF.</summary>
    public string ToWireString()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < Lines.Count; i++)
        {
            builder.Append(Code.ToString(CultureInfo.InvariantCulture));
            builder.Append(i == Lines.Count - 1 ? ' ' : '-');
            if (Status is { } status)
            {
                builder.Append(status.ToString()).Append(' ');
            }
            builder.Append(Lines[i]).Append("\r\n");
        }
        return builder.ToString();
    }

    /// <summary>By value: the record's generated equality would compare <see cref="Lines"/> by reference.</summary>
    public bool Equals(SmtpReply? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (other is null || Code != other.Code || Status != other.Status || Lines.Count != other.Lines.Count)
        {
            return false;
        }
        for (var i = 0; i < Lines.Count; i++)
        {
            if (!string.Equals(Lines[i], other.Lines[i], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Code);
        hash.Add(Status);
        foreach (var line in Lines)
        {
            hash.Add(line, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }

    /// <summary>The reply on one line for the mail log: <c>550 5.7.1 Relaying denied</c>.</summary>
    public override string ToString() =>
        Status is { } status
            ? string.Create(CultureInfo.InvariantCulture, $"{Code} {status} {string.Join(' ', Lines)}")
            : string.Create(CultureInfo.InvariantCulture, $"{Code} {string.Join(' ', Lines)}");
}
