using System.Text;
using Postern.Filters.Authentication.Dkim;
using Postern.Filters.Authentication.Dmarc;
using Postern.Filters.Authentication.Spf;

namespace Postern.Filters.Authentication;

/// <summary>
/// The Authentication-Results header field (RFC 8601): writing Postern's, one method result per
/// folded line, and recognizing fields that claim Postern's authserv-id, which section 5 says a
/// border MTA must remove.
/// </summary>
public static class AuthenticationResultsHeader
{
    public const string Name = "Authentication-Results";

    public static string Build(string authservId, SpfOutcome spf, IReadOnlyList<DkimSignatureResult> dkim, DmarcOutcome dmarc)
    {
        ArgumentNullException.ThrowIfNull(spf);
        ArgumentNullException.ThrowIfNull(dkim);
        ArgumentNullException.ThrowIfNull(dmarc);
        var results = new List<string>
        {
            $"spf={spf.ResultName} smtp.{spf.IdentityKind}={Value(spf.Identity)}",
        };
        if (dkim.Count == 0)
        {
            results.Add("dkim=none");
        }
        foreach (var signature in dkim)
        {
            var reason = signature.Result == DkimResult.Pass ? "" : " (" + Comment(signature.Reason) + ")";
            results.Add($"dkim={signature.ResultName}{reason} header.d={Value(signature.Domain)} header.s={Value(signature.Selector)} header.a={Value(signature.Algorithm)}");
        }
        var policy = dmarc.Policy is { } p ? $" (p={Word(p)} dis={Word(dmarc.Disposition)})" : "";
        results.Add(dmarc.FromDomain is { } from ? $"dmarc={dmarc.ResultName}{policy} header.from={Value(from)}" : $"dmarc={dmarc.ResultName}");
        return authservId + ";\r\n\t" + string.Join(";\r\n\t", results);
    }

    /// <summary>
    /// The field's authserv-id (the first token, after any comment) is <paramref name="authservId"/>,
    /// compared without case (section 2.5).
    /// </summary>
    public static bool Claims(string value, string authservId)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = StripComments(value).TrimStart(' ', '\t', '\r', '\n');
        var end = text.IndexOfAny([';', ' ', '\t', '\r', '\n']);
        var id = end < 0 ? text : text[..end];
        return id.Trim('"').Equals(authservId, StringComparison.OrdinalIgnoreCase);
    }

    private static string StripComments(string value)
    {
        var text = new StringBuilder(value.Length);
        var depth = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && depth > 0)
            {
                i++;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }

    private static string Word(DmarcPolicy policy) => policy.ToString().ToLowerInvariant();

    // A property value: as is when it is a plain token (an address or a domain), else a quoted
    // string; control characters never get through, so no value can break the header.
    private static string Value(string text)
    {
        var clean = new string([.. text.Where(c => !char.IsControl(c))]);
        if (clean.Length > 0 && clean.All(c => c > ' ' && c < 0x7f && !"()<>,;:\\\"[]".Contains(c, StringComparison.Ordinal)))
        {
            return clean;
        }
        return "\"" + clean.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    private static string Comment(string text) =>
        new([.. text.Where(c => !char.IsControl(c) && c is not '(' and not ')' and not '\\')]);
}
