namespace Postern.Tools.Migration;

/// <summary>A value set in the .mc (expanded), and where, for comments and messages.</summary>
internal sealed record McOption(string Value, string File, int Line)
{
    public string Where => $"{File}:{Line}";
}
