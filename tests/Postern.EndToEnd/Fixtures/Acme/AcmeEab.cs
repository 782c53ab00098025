namespace Postern.EndToEnd.Fixtures.Acme;

/// <summary>An external account binding pair as a CA hands it out (pebble's example configuration's kid-1).</summary>
public static class AcmeEab
{
    public const string KeyId = "kid-1";

    /// <summary>The MAC key, base64url as the CA gives it.</summary>
    public const string MacKey = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";
}
