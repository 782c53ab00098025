namespace Postern.Pki.Authority;

/// <summary>Why a CA operation failed, so the command line can pick its sysexits code.</summary>
public enum CaErrorKind
{
    /// <summary>Bad input: a name, a SAN, a number of days (EX_USAGE).</summary>
    Usage,

    /// <summary>The CA or an issued certificate is missing (EX_NOINPUT).</summary>
    NotFound,

    /// <summary>Refused to overwrite an existing CA or certificate (EX_CANTCREAT).</summary>
    Exists,

    /// <summary>A file is there but unreadable as what it should be (EX_DATAERR).</summary>
    BadData,

    /// <summary>Reading or writing failed (EX_IOERR).</summary>
    Io,
}
