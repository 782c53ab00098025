using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Postern.Core.Queueing;

/// <summary>
/// A queue id: 16 characters of [0-9A-Za-z], time-ordered prefix plus random suffix. Validated
/// before it is ever used as part of a path, so a forged id cannot reach outside the spool.
/// </summary>
public readonly record struct QueueId
{
    public const int Length = 16;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private readonly string? _value;

    private QueueId(string value) => _value = value;

    public string Value => _value ?? throw new InvalidOperationException("default QueueId");

    public override string ToString() => Value;

    /// <summary>A new id: 8 characters from the clock (sortable), 8 random.</summary>
    public static QueueId New(TimeProvider clock)
    {
        Span<char> chars = stackalloc char[Length];
        var ticks = (ulong)clock.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 7; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(ticks % 62)];
            ticks /= 62;
        }
        for (var i = 8; i < Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        return new QueueId(new string(chars));
    }

    public static bool IsValid([NotNullWhen(true)] string? text) =>
        text is { Length: Length } && text.All(char.IsAsciiLetterOrDigit);

    public static bool TryParse([NotNullWhen(true)] string? text, out QueueId id)
    {
        id = IsValid(text) ? new QueueId(text) : default;
        return id._value is not null;
    }

    public static QueueId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a valid queue id");
}
