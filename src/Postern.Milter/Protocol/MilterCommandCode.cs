namespace Postern.Milter.Protocol;

/// <summary>The commands the MTA sends (sendmail's <c>SMFIC_*</c>, libmilter/mfdef.h).</summary>
internal enum MilterCommandCode : byte
{
    Abort = (byte)'A',
    Body = (byte)'B',
    Connect = (byte)'C',
    Macro = (byte)'D',
    EndOfBody = (byte)'E',
    Helo = (byte)'H',
    QuitNewConnection = (byte)'K',
    Header = (byte)'L',
    Mail = (byte)'M',
    EndOfHeaders = (byte)'N',
    OptionNegotiation = (byte)'O',
    Quit = (byte)'Q',
    Recipient = (byte)'R',
    Data = (byte)'T',
    Unknown = (byte)'U',
}
