namespace Postern.Milter.Client;

/// <summary>The protocol steps, by the names the mail log and the metrics use.</summary>
internal static class MilterStage
{
    public const string Connect = "connect";
    public const string Helo = "helo";
    public const string Mail = "mail";
    public const string Recipient = "rcpt";
    public const string Data = "data";
    public const string Header = "header";
    public const string EndOfHeaders = "eoh";
    public const string Body = "body";
    public const string EndOfMessage = "eom";
}
