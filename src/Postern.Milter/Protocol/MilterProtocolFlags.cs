namespace Postern.Milter.Protocol;

/// <summary>
/// The protocol steps a milter may skip or answer without a reply (sendmail's <c>SMFIP_*</c>,
/// libmilter/mfdef.h). The MTA offers the bits it understands; the milter answers with the ones it wants.
/// </summary>
[Flags]
internal enum MilterProtocolFlags : uint
{
    None = 0,
    NoConnect = 0x01,
    NoHelo = 0x02,
    NoMail = 0x04,
    NoRecipient = 0x08,
    NoBody = 0x10,
    NoHeaders = 0x20,
    NoEndOfHeaders = 0x40,
    NoReplyHeader = 0x80,
    NoUnknown = 0x100,
    NoData = 0x200,

    /// <summary>The MTA understands SMFIR_SKIP (stop sending body chunks).</summary>
    Skip = 0x400,

    /// <summary>The milter also wants the recipients another check refused.</summary>
    RejectedRecipients = 0x800,
    NoReplyConnect = 0x1000,
    NoReplyHelo = 0x2000,
    NoReplyMail = 0x4000,
    NoReplyRecipient = 0x8000,
    NoReplyData = 0x10000,
    NoReplyUnknown = 0x20000,
    NoReplyEndOfHeaders = 0x40000,
    NoReplyBody = 0x80000,

    /// <summary>Header values are sent and taken with their leading space (not eaten after the colon).</summary>
    HeaderLeadingSpace = 0x100000,

    /// <summary>Every bit Postern understands, offered at negotiation (sendmail's SMFI_CURR_PROT).</summary>
    All = 0x1FFFFF,
}
