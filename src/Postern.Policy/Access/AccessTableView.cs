using Postern.Core.Maps;

namespace Postern.Policy.Access;

/// <summary>
/// Turns the rows fetched from an access table into an <see cref="AccessMap"/> holding just them:
/// the lookups then answer as they would over the whole table, because every key they could
/// consult was fetched. A row the map's own parser refuses makes the table unavailable rather than
/// absent: a broken REJECT row must never let mail through.
/// </summary>
internal static class AccessTableView
{
    public static AccessMap Build(IReadOnlyDictionary<string, string> rows, string tableName)
    {
        var entries = new List<AccessEntry>(rows.Count);
        foreach (var (key, rawValue) in rows)
        {
            var (tag, tagName, keyText) = AccessMapParser.SplitTag(key);
            if (tag == AccessTag.Other)
            {
                continue;
            }
            var value = rawValue.Trim(' ', '\t');
            if (!AccessValueParser.TryParse(tag, value, out var action, out var reply, out var error))
            {
                throw new LookupTableUnavailableException(tableName, "row '" + key + "' has a bad value: " + error);
            }
            entries.Add(new AccessEntry(tag, tag == AccessTag.None ? "" : AccessTableKey.CanonicalTag(tag, tagName), keyText, action, reply, value, 0));
        }
        return new AccessMap(entries, tableName);
    }
}
