namespace Postern.Config;

/// <summary>Exit codes from sysexits.h, as sendmail and every mail tool use them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Usage = 64;
    public const int DataError = 65;
    public const int NoInput = 66;
    public const int NoUser = 67;
    public const int Software = 70;
    public const int OsError = 71;
    public const int CannotCreate = 73;
    public const int IoError = 74;
    public const int TempFail = 75;
    public const int NoPermission = 77;
    public const int Config = 78;
}
