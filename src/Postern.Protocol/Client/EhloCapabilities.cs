using System.Globalization;
using Postern.Core.Smtp;

namespace Postern.Protocol.Client;

/// <summary>What a server advertised in its EHLO reply (RFC 5321 4.1.1.1); <see cref="None"/> after HELO.</summary>
public sealed record EhloCapabilities
{
    public static EhloCapabilities None { get; } = new();

    public bool Pipelining { get; init; }

    /// <summary>SIZE was advertised; <see cref="MaxSize"/> is its limit, 0 when none was given.</summary>
    public bool Size { get; init; }

    public long MaxSize { get; init; }

    public bool EightBitMime { get; init; }

    public bool SmtpUtf8 { get; init; }

    public bool Dsn { get; init; }

    public bool StartTls { get; init; }

    public bool EnhancedStatusCodes { get; init; }

    public bool Chunking { get; init; }

    /// <summary>DELIVERBY was advertised (RFC 2852); <see cref="MinByTime"/> is its minimum by-time, 0 when none was given.</summary>
    public bool DeliverBy { get; init; }

    public long MinByTime { get; init; }

    /// <summary>REQUIRETLS was advertised (RFC 8689): the server keeps a message's REQUIRETLS on its way on.</summary>
    public bool RequireTls { get; init; }

    /// <summary>AUTH mechanisms, upper case.</summary>
    public IReadOnlySet<string> AuthMechanisms { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Reads the keywords from the lines after the first (which greets).</summary>
    public static EhloCapabilities Parse(SmtpReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var result = new EhloCapabilities();
        var mechanisms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in reply.Lines.Skip(1))
        {
            // "AUTH=LOGIN PLAIN" is the pre-RFC 4954 spelling some servers still send.
            var parts = line.Split([' ', '='], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }
            var keyword = parts[0].ToUpperInvariant();
            result = keyword switch
            {
                "PIPELINING" => result with { Pipelining = true },
                "SIZE" => result with { Size = true, MaxSize = parts.Length > 1 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max) ? max : 0 },
                "8BITMIME" => result with { EightBitMime = true },
                "SMTPUTF8" => result with { SmtpUtf8 = true },
                "DSN" => result with { Dsn = true },
                "STARTTLS" => result with { StartTls = true },
                "ENHANCEDSTATUSCODES" => result with { EnhancedStatusCodes = true },
                "CHUNKING" => result with { Chunking = true },
                "REQUIRETLS" => result with { RequireTls = true },
                "DELIVERBY" => result with { DeliverBy = true, MinByTime = parts.Length > 1 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var min) ? min : 0 },
                _ => result,
            };
            if (keyword == "AUTH")
            {
                foreach (var mechanism in parts.Skip(1))
                {
                    mechanisms.Add(mechanism.ToUpperInvariant());
                }
            }
        }
        return result with { AuthMechanisms = mechanisms };
    }
}
