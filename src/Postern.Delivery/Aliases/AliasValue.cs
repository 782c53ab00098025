namespace Postern.Delivery.Aliases;

/// <summary>One parsed alias value.</summary>
/// <param name="Kind">What the value names.</param>
/// <param name="Text">
/// The lowercased name (Local), <c>local@domain</c> with the domain lowercased (Address), the path
/// (Include, File) or the command (Pipe).
/// </param>
/// <param name="NoAlias">A Local value written <c>\name</c>: the user's own mailbox, never aliased again.</param>
/// <param name="Line">The line it was read from, for messages.</param>
public sealed record AliasValue(AliasValueKind Kind, string Text, bool NoAlias = false, int Line = 0)
{
    public override string ToString() => Kind switch
    {
        AliasValueKind.Local => NoAlias ? "\\" + Text : Text,
        AliasValueKind.Include => ":include:" + Text,
        AliasValueKind.Pipe => "|" + Text,
        _ => Text,
    };
}
