namespace Postern.Milter.Protocol;

/// <summary>
/// The milter's answer to the option negotiation: its protocol version, the actions it wants,
/// the steps it skips or answers without a reply, and the macro lists it asks for per stage
/// (sendmail's SMFIM_* index to a space-separated list, what <c>smfi_setsymlist</c> set).
/// </summary>
internal sealed record MilterNegotiationReply(uint Version, MilterActions Actions, MilterProtocolFlags Protocol, IReadOnlyDictionary<uint, string> MacroLists);
