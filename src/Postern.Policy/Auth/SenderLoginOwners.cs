using Postern.Policy.Access;

namespace Postern.Policy.Auth;

/// <summary>
/// The owners after a sender login map key: separated by commas, spaces or tabs. A certificate
/// identity (the subject DN EXTERNAL authenticates as, <c>/C=US/O=Second Org/CN=Bob</c>) can hold
/// spaces and commas, so an owner may be written in double quotes, taken as it stands, or, when it
/// starts with '/', in the access map's <c>+XX</c> form (<c>/C=US/O=Second+20Org/CN=Bob</c>).
/// </summary>
internal static class SenderLoginOwners
{
    /// <summary>The error, or null with the owners in order.</summary>
    public static string? Parse(string text, out List<string> owners)
    {
        owners = [];
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] is ',' or ' ' or '\t')
            {
                i++;
                continue;
            }
            string owner;
            if (text[i] == '"')
            {
                var close = text.IndexOf('"', i + 1);
                if (close < 0)
                {
                    return "owner " + text[i..] + " has no closing '\"'";
                }
                owner = text[(i + 1)..close];
                if (owner.Length == 0)
                {
                    return "an owner is an empty quoted string";
                }
                i = close + 1;
            }
            else
            {
                var end = text.IndexOfAny([',', ' ', '\t', '"'], i);
                end = end < 0 ? text.Length : end;
                owner = text[i..end];
                i = end;
                if (owner.StartsWith('/'))
                {
                    if (!SendmailDnCodec.TryDecode(owner, out var dn, out var error))
                    {
                        return "owner '" + owner + "': " + error;
                    }
                    owner = dn;
                }
            }
            owners.Add(owner);
        }
        return null;
    }
}
