namespace Postern.Tools.Check;

/// <summary>What one EHLO showed: the reply, its keyword lines, and the AUTH mechanisms among them.</summary>
internal sealed record EhloFacts(ReplyFacts Reply, IReadOnlyList<string> Keywords, IReadOnlyList<string> AuthMechanisms, bool StartTls)
{
    public bool Succeeded => Reply.Code == 250;
}
