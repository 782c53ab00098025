namespace Postern.Tests.Dialogs;

/// <summary>One line of a dialog script: its keyword (for client lines, the arrow), the rest, and where it was.</summary>
internal sealed record DialogStep(int Line, string Keyword, string Argument)
{
    public override string ToString() => "line " + Line + ": " + Keyword + " " + Argument;
}
