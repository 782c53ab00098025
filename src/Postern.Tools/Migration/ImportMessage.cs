namespace Postern.Tools.Migration;

/// <summary>What import-mc says about one line: <c>sendmail.mc:12: not translated: ...</c>.</summary>
internal sealed record ImportMessage(string File, int Line, ImportMessageKind Kind, string Text)
{
    /// <summary>Line 0: about the file as a whole.</summary>
    public override string ToString() =>
        $"{File}{(Line > 0 ? ":" + Line.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}: {Kind switch { ImportMessageKind.NotTranslated => "not translated", ImportMessageKind.Warning => "warning", _ => "note" }}: {Text}";
}
