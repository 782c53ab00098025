using Postern.Core.Smtp;

namespace Postern.Policy.Access;

/// <summary>One line of the access map.</summary>
/// <param name="Tag">The tag kind.</param>
/// <param name="TagName">The tag as written (<c>CERTIssuer</c>), empty when untagged.</param>
/// <param name="Key">The key as it is compared: lowercased for names, addresses and hex; DNs decoded from +XX and exact.</param>
/// <param name="Action">What the value says.</param>
/// <param name="Reply">The reply of an <see cref="AccessAction.Error"/> value, otherwise null.</param>
/// <param name="Value">The value text as written.</param>
/// <param name="Line">The 1-based line number in the file.</param>
public sealed record AccessEntry(AccessTag Tag, string TagName, string Key, AccessAction Action, SmtpReply? Reply, string Value, int Line)
{
    /// <summary>The text after <c>QUARANTINE:</c>, or null for other actions.</summary>
    public string? QuarantineReason => Action == AccessAction.Quarantine ? Value[AccessValueParser.QuarantinePrefix.Length..].Trim('"', ' ') : null;

    /// <summary>The number of a <see cref="AccessAction.Limit"/> entry (0: no limit), or null for other actions.</summary>
    public int? Limit => Action == AccessAction.Limit ? int.Parse(Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>The line as the administrator reads it: <c>To:spam.example REJECT</c> (the key as compared).</summary>
    public string Describe() => (TagName.Length == 0 ? "" : TagName + ":") + Key + " " + Value;
}
