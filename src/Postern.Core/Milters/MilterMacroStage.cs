namespace Postern.Core.Milters;

/// <summary>The protocol steps at which macros are sent (sendmail's <c>confMILTER_MACROS_*</c>, Postfix's <c>milter_*_macros</c>).</summary>
public enum MilterMacroStage
{
    Connect,
    Helo,
    Mail,
    Recipient,
    Data,
    EndOfHeaders,
    EndOfMessage,
}
