namespace Postern.Delivery.Aliases;

/// <summary>What may be an alias name or a local name in a value: no blanks, controls or address syntax.</summary>
internal static class AliasNames
{
    public static bool IsValid(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }
        foreach (var c in name)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '@' or ',' or ':' or '"' or '\\' or '<' or '>' or '|')
            {
                return false;
            }
        }
        return true;
    }
}
