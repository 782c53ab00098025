namespace Postern.Tools.Migration;

/// <summary>sendmail.cf <c>O Name=value</c> options and the .mc names they come from, for seeds that edit sendmail.cf directly.</summary>
internal static class CfOptionNames
{
    private static readonly Dictionary<string, string> ConfNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CACertPath"] = "confCACERT_PATH",
        ["CACertFile"] = "confCACERT",
        ["ServerCertFile"] = "confSERVER_CERT",
        ["ServerKeyFile"] = "confSERVER_KEY",
        ["ClientCertFile"] = "confCLIENT_CERT",
        ["ClientKeyFile"] = "confCLIENT_KEY",
        ["CRLFile"] = "confCRL",
        ["DHParameters"] = "confDH_PARAMETERS",
        ["TLSSrvOptions"] = "confTLS_SRV_OPTIONS",
        ["AuthMechanisms"] = "confAUTH_MECHANISMS",
        ["AuthOptions"] = "confAUTH_OPTIONS",
        ["LogLevel"] = "confLOG_LEVEL",
        ["MaxMessageSize"] = "confMAX_MESSAGE_SIZE",
        ["PrivacyOptions"] = "confPRIVACY_FLAGS",
        ["DontBlameSendmail"] = "confDONT_BLAME_SENDMAIL",
    };

    public static string? ConfName(string cfName) => ConfNames.GetValueOrDefault(cfName);
}
