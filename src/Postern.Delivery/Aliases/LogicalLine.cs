namespace Postern.Delivery.Aliases;

/// <summary>A logical line of an aliases file (continuations joined) and the line it starts on.</summary>
internal readonly record struct LogicalLine(int Line, string Text);
