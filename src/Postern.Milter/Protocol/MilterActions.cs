namespace Postern.Milter.Protocol;

/// <summary>The modifications a milter may ask for (sendmail's <c>SMFIF_*</c>, libmilter/mfapi.h), negotiated at connect.</summary>
[Flags]
internal enum MilterActions : uint
{
    None = 0,
    AddHeaders = 0x01,
    ChangeBody = 0x02,
    AddRecipient = 0x04,
    DeleteRecipient = 0x08,
    ChangeHeaders = 0x10,
    Quarantine = 0x20,
    ChangeSender = 0x40,
    AddRecipientWithParameters = 0x80,
    SetSymbolList = 0x100,

    /// <summary>Everything Postern can do, offered at negotiation (as Postfix offers).</summary>
    All = 0x1FF,
}
