namespace Postern.Tools.Migration;

/// <summary>A macro call such as <c>define(`confX', `value')</c>; a bare word like <c>LOCAL_CONFIG</c> has no arguments.</summary>
/// <param name="Name">The macro name as written.</param>
/// <param name="Arguments">Each argument with one level of quotes removed and leading whitespace skipped, as m4 collects them.</param>
/// <param name="Line">The 1-based line the call starts on.</param>
internal sealed record M4Call(string Name, IReadOnlyList<M4Argument> Arguments, int Line) : M4Item(Line)
{
    /// <summary>The text of argument <paramref name="index"/>, or "" when absent.</summary>
    public string Argument(int index) => index < Arguments.Count ? Arguments[index].Text : "";
}
