namespace Postern.Tools.Migration;

/// <summary>Whether a line was left out (the administrator must act) or translated with a remark.</summary>
internal enum ImportMessageKind
{
    NotTranslated,
    Note,

    /// <summary>Translated as written, but the result trusts more than the administrator probably means.</summary>
    Warning,
}
