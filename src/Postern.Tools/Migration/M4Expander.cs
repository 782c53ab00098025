using System.Text;

namespace Postern.Tools.Migration;

/// <summary>
/// Expands the helper macros a .mc defines for itself (<c>define(`CERT_DIR', `MAIL_SETTINGS_DIR`'certs')</c>)
/// in option values, and removes the remaining quotes, as m4 does when it rescans. Bounded: a
/// macro that expands to itself stops after <see cref="MaxPasses"/> passes.
/// </summary>
internal sealed class M4Expander
{
    private const int MaxPasses = 20;

    private readonly Dictionary<string, string> _macros = new(StringComparer.Ordinal)
    {
        // cf.m4 defines it as the configuration directory with its trailing slash.
        ["MAIL_SETTINGS_DIR"] = "/etc/mail/",
    };

    public void Define(string name, string value) => _macros[name] = value;

    public void Undefine(string name) => _macros.Remove(name);

    public bool IsDefined(string name) => _macros.ContainsKey(name);

    public string Expand(string text)
    {
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var (expanded, changed) = ExpandOnce(text);
            text = expanded;
            if (!changed)
            {
                break;
            }
        }
        return text;
    }

    private (string Text, bool Changed) ExpandOnce(string text)
    {
        var result = new StringBuilder(text.Length);
        var changed = false;
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (c == '`')
            {
                // Copy the quoted text without its outer quotes; it is rescanned on the next pass.
                var depth = 1;
                var j = i + 1;
                for (; j < text.Length && depth > 0; j++)
                {
                    depth += text[j] == '`' ? 1 : text[j] == '\'' ? -1 : 0;
                }
                var end = depth == 0 ? j - 1 : text.Length;
                result.Append(text, i + 1, end - i - 1);
                i = depth == 0 ? j : text.Length;
                changed = true;
            }
            else if (M4Reader.IsWordStart(c))
            {
                var j = i;
                while (j < text.Length && M4Reader.IsWordPart(text[j]))
                {
                    j++;
                }
                var word = text[i..j];
                if (_macros.TryGetValue(word, out var value))
                {
                    result.Append(value);
                    changed = true;
                }
                else
                {
                    result.Append(word);
                }
                i = j;
            }
            else
            {
                result.Append(c);
                i++;
            }
        }
        return (result.ToString(), changed);
    }
}
