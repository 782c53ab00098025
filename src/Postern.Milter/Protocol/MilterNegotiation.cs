using Postern.Core.Milters;

namespace Postern.Milter.Protocol;

/// <summary>
/// What both sides agreed at connect: the milter's protocol version, the actions it may take,
/// the steps it skips or answers without a reply, and the macro lists it asked for. Postern
/// offers protocol version 6, every action and every protocol bit it understands; the milter may
/// only narrow them (Postfix's milter8.c refuses the same conflicts).
/// </summary>
internal sealed record MilterNegotiation(uint Version, MilterActions Actions, MilterProtocolFlags Protocol, IReadOnlyDictionary<MilterMacroStage, IReadOnlyList<string>> MacroLists)
{
    /// <summary>The protocol version Postern speaks (sendmail 8.14 and later, libmilter's SMFI_PROT_VERSION).</summary>
    public const uint ProtocolVersion = 6;

    /// <summary>The oldest milter protocol accepted (libmilter 8.10's version 2).</summary>
    public const uint OldestVersion = 2;

    /// <summary>
    /// Everything offered: every action, and every protocol bit but SMFIP_RCPT_REJ (a refused
    /// recipient ends the recipient stage before later handlers, so it could not be sent).
    /// </summary>
    public static MilterActions OfferedActions => MilterActions.All;

    public static MilterProtocolFlags OfferedProtocol => MilterProtocolFlags.All & ~MilterProtocolFlags.RejectedRecipients;

    /// <summary>sendmail's SMFIM_* indexes of the macro stages, in order.</summary>
    private static readonly MilterMacroStage[] StageByIndex =
    [
        MilterMacroStage.Connect,
        MilterMacroStage.Helo,
        MilterMacroStage.Mail,
        MilterMacroStage.Recipient,
        MilterMacroStage.Data,
        MilterMacroStage.EndOfMessage,
        MilterMacroStage.EndOfHeaders,
    ];

    public bool Skips(MilterProtocolFlags step) => (Protocol & step) != 0;

    public bool Allows(MilterActions action) => (Actions & action) != 0;

    /// <summary>The negotiation from the milter's reply.</summary>
    /// <exception cref="MilterProtocolException">A version outside 2-6, or actions or steps that were not offered.</exception>
    public static MilterNegotiation From(MilterNegotiationReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.Version is < OldestVersion or > ProtocolVersion)
        {
            throw new MilterProtocolException($"protocol version {reply.Version} (Postern speaks {OldestVersion} to {ProtocolVersion})");
        }
        if ((reply.Actions & ~OfferedActions) != 0)
        {
            throw new MilterProtocolException($"asks for actions 0x{(uint)reply.Actions:x} beyond those offered (0x{(uint)OfferedActions:x})");
        }
        if ((reply.Protocol & ~OfferedProtocol) != 0)
        {
            throw new MilterProtocolException($"asks for protocol steps 0x{(uint)reply.Protocol:x} beyond those offered (0x{(uint)OfferedProtocol:x})");
        }
        var lists = new Dictionary<MilterMacroStage, IReadOnlyList<string>>();
        foreach (var (index, list) in reply.MacroLists)
        {
            // An unknown stage is ignored, as Postfix does: a newer milter may know more stages.
            if (index < StageByIndex.Length)
            {
                lists[StageByIndex[index]] = MacroNames(list);
            }
        }
        return new MilterNegotiation(reply.Version, reply.Actions, reply.Protocol, lists);
    }

    /// <summary>The stage for sendmail's SMFIM_* <paramref name="index"/>, or null.</summary>
    public static MilterMacroStage? StageOf(uint index) => index < StageByIndex.Length ? StageByIndex[index] : null;

    /// <summary>A macro list as a milter writes it (<c>"{auth_authen} i"</c>, commas allowed), names braced as sendmail sends them.</summary>
    public static IReadOnlyList<string> MacroNames(string list) =>
        [.. list.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(MilterMacroNames.Canonical).Distinct(StringComparer.Ordinal)];
}
