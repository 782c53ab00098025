namespace Postern.Milter.Protocol;

/// <summary>
/// One decoded reply or modification action. Which properties are set depends on <see cref="Code"/>:
/// <see cref="Text"/> for a reply code (its SMTP reply, lines separated by CRLF) and a quarantine
/// reason; <see cref="Name"/>, <see cref="Value"/> and <see cref="Index"/> for header actions;
/// <see cref="Address"/> and <see cref="Parameters"/> for envelope actions; <see cref="Body"/>
/// for a body replacement chunk; <see cref="Negotiation"/> for the option negotiation.
/// </summary>
internal sealed record MilterReply(MilterReplyCode Code)
{
    public string Text { get; init; } = "";

    public string Name { get; init; } = "";

    public string Value { get; init; } = "";

    /// <summary>INSHEADER: the position (0 is the top); CHGHEADER: the occurrence (from 1; 0 means 1).</summary>
    public uint Index { get; init; }

    public string Address { get; init; } = "";

    /// <summary>ESMTP parameters of ADDRCPT_PAR and CHGFROM, space-separated; empty when none.</summary>
    public string Parameters { get; init; } = "";

    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>SETSYMLIST: the stage whose macro list the milter sets (sendmail's SMFIM_* index).</summary>
    public uint SymbolStage { get; init; }

    public MilterNegotiationReply? Negotiation { get; init; }
}
