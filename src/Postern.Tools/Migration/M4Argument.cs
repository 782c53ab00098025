namespace Postern.Tools.Migration;

/// <summary>One macro argument and the line it starts on (for reading an <c>ifelse</c> branch as statements).</summary>
internal sealed record M4Argument(string Text, int Line);
