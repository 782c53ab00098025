namespace Postern.Tools.Migration;

/// <summary>One top-level piece of an m4 file: a macro call, or a line of plain text (sendmail.cf text, stray words).</summary>
/// <param name="Line">The 1-based line it starts on.</param>
internal abstract record M4Item(int Line);
