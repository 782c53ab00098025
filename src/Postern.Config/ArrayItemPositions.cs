using Tomlyn.Syntax;

namespace Postern.Config;

/// <summary>
/// Where each item of each array value stands in the file, keyed by where its key stands. Tomlyn's
/// table model keeps a position per key only, so an error about the third network of a multi-line
/// <c>relay_networks</c> would otherwise point at the key's line instead of the item's.
/// </summary>
public sealed class ArrayItemPositions
{
    private readonly Dictionary<SourceLocation, IReadOnlyList<SourceLocation>> _byKey = [];

    public static ArrayItemPositions None { get; } = new();

    /// <summary>Every array written as <c>key = [...]</c> at the top level or in a table.</summary>
    internal static ArrayItemPositions Of(DocumentSyntax document)
    {
        var positions = new ArrayItemPositions();
        foreach (var keyValue in document.KeyValues)
        {
            positions.Add(keyValue);
        }
        foreach (var table in document.Tables)
        {
            foreach (var keyValue in table.Items)
            {
                positions.Add(keyValue);
            }
        }
        return positions;
    }

    /// <summary>The place of item <paramref name="index"/> (0-based) of the array whose key is at <paramref name="key"/>; the key's place when unknown.</summary>
    public SourceLocation Of(SourceLocation key, int index) =>
        _byKey.TryGetValue(key, out var items) && index >= 0 && index < items.Count ? items[index] : key;

    private void Add(KeyValueSyntax keyValue)
    {
        if (keyValue.Key is null || keyValue.Value is not ArraySyntax array)
        {
            return;
        }
        var items = array.Items.Select(item => Location(item.Value?.Span ?? item.Span)).ToList();
        _byKey.TryAdd(Location(keyValue.Key.Span), items);
    }

    private static SourceLocation Location(SourceSpan span) => new(span.Start.Line + 1, span.Start.Column + 1);
}
