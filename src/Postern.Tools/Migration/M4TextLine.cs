namespace Postern.Tools.Migration;

/// <summary>A line that is not a macro call: sendmail.cf text (<c>O ServerCertFile=...</c>, rules after LOCAL_RULESETS) or anything else m4 would copy through.</summary>
internal sealed record M4TextLine(string Text, int Line) : M4Item(Line);
