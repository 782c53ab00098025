namespace Postern.Milter.Protocol;

/// <summary>The replies and modification actions a milter sends (sendmail's <c>SMFIR_*</c>, and <c>SMFIC_OPTNEG</c> back).</summary>
internal enum MilterReplyCode : byte
{
    AddRecipient = (byte)'+',
    DeleteRecipient = (byte)'-',
    AddRecipientWithParameters = (byte)'2',
    Shutdown = (byte)'4',
    Accept = (byte)'a',
    ReplaceBody = (byte)'b',
    Continue = (byte)'c',
    Discard = (byte)'d',
    ChangeSender = (byte)'e',
    ConnectionFailure = (byte)'f',
    AddHeader = (byte)'h',
    InsertHeader = (byte)'i',
    SetSymbolList = (byte)'l',
    ChangeHeader = (byte)'m',
    OptionNegotiation = (byte)'O',
    Progress = (byte)'p',
    Quarantine = (byte)'q',
    Reject = (byte)'r',
    Skip = (byte)'s',
    TempFail = (byte)'t',
    ReplyCode = (byte)'y',
}
