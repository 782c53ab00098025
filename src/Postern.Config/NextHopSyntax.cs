using Postern.Delivery.Routing;

namespace Postern.Config;

/// <summary>Reads a next hop (<c>delivery.smarthost</c>, <c>route.via</c>) with a file:line:key error when it is bad.</summary>
internal static class NextHopSyntax
{
    public static NextHop? Read(ConfigSection section, string key)
    {
        var text = section.GetString(key);
        if (text is null)
        {
            return null;
        }
        if (NextHop.TryParse(text, out var hop, out var problem))
        {
            return hop;
        }
        section.Error(key, $"{problem}: must be {NextHop.Syntax}, got {ConfigValueText.Quote(text)}");
        return null;
    }
}
