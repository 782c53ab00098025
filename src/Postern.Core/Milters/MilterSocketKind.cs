namespace Postern.Core.Milters;

/// <summary>The families of sendmail's <c>S=</c> socket syntax.</summary>
public enum MilterSocketKind
{
    /// <summary><c>inet:PORT@HOST</c>.</summary>
    Inet,

    /// <summary><c>inet6:PORT@HOST</c>.</summary>
    Inet6,

    /// <summary><c>unix:PATH</c> (also <c>local:PATH</c>).</summary>
    Unix,
}
