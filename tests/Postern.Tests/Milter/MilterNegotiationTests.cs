using Postern.Core.Milters;
using Postern.Milter.Protocol;

namespace Postern.Tests.Milter;

/// <summary>Option negotiation: the milter may narrow what Postern offers, never widen it.</summary>
public sealed class MilterNegotiationTests
{
    private static MilterNegotiation Negotiate(uint version, MilterActions actions, MilterProtocolFlags protocol, params (uint, string)[] lists) =>
        MilterNegotiation.From(MilterReplyParser.Parse(Assert.Single(MilterWire.Frames(MilterWire.Negotiate(version, actions, protocol, lists)))).Negotiation!);

    [Fact]
    public void A_version_6_milter_takes_the_actions_and_steps_it_asked_for()
    {
        var negotiation = Negotiate(6, MilterActions.AddHeaders | MilterActions.ChangeBody, MilterProtocolFlags.NoHelo | MilterProtocolFlags.NoReplyHeader | MilterProtocolFlags.HeaderLeadingSpace);

        Assert.True(negotiation.Allows(MilterActions.AddHeaders));
        Assert.True(negotiation.Allows(MilterActions.ChangeBody));
        Assert.False(negotiation.Allows(MilterActions.DeleteRecipient));
        Assert.True(negotiation.Skips(MilterProtocolFlags.NoHelo));
        Assert.True(negotiation.Skips(MilterProtocolFlags.NoReplyHeader));
        Assert.False(negotiation.Skips(MilterProtocolFlags.NoConnect));
        Assert.Empty(negotiation.MacroLists);
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(4u)]
    [InlineData(6u)]
    public void Older_protocol_versions_down_to_2_are_spoken(uint version) =>
        Assert.Equal(version, Negotiate(version, MilterActions.None, MilterProtocolFlags.None).Version);

    [Theory]
    [InlineData(1u, 0u, 0u, "protocol version 1")]
    [InlineData(7u, 0u, 0u, "protocol version 7")]
    [InlineData(6u, 0x200u, 0u, "actions 0x200")]
    [InlineData(6u, 0u, 0x800u, "protocol steps 0x800")]
    [InlineData(6u, 0u, 0x200000u, "protocol steps 0x200000")]
    public void A_version_or_a_wish_beyond_what_was_offered_breaks_the_negotiation(uint version, uint actions, uint protocol, string message)
    {
        var e = Assert.Throws<MilterProtocolException>(() => Negotiate(version, (MilterActions)actions, (MilterProtocolFlags)protocol));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_offer_is_every_action_and_every_step_but_rejected_recipients()
    {
        var frame = Assert.Single(MilterWire.Frames(MilterCommandWriter.OptionNegotiation(
            MilterNegotiation.ProtocolVersion, MilterNegotiation.OfferedActions, MilterNegotiation.OfferedProtocol)));

        Assert.Equal(new byte[] { 0, 0, 0, 6, 0, 0, 1, 0xFF, 0, 0x1F, 0xF7, 0xFF }, frame.Data.ToArray());
    }

    [Fact]
    public void Macro_lists_the_milter_asks_for_are_mapped_to_their_stages_with_names_braced_as_sendmail_sends_them()
    {
        var negotiation = Negotiate(6, MilterActions.SetSymbolList, MilterProtocolFlags.None, (0, "j {client_addr}"), (2, "i,auth_authen {mail_addr}"), (5, ""), (6, "{msg_id}"), (42, "ignored"));

        Assert.Equal(["j", "{client_addr}"], negotiation.MacroLists[MilterMacroStage.Connect]);
        Assert.Equal(["i", "{auth_authen}", "{mail_addr}"], negotiation.MacroLists[MilterMacroStage.Mail]);
        Assert.Empty(negotiation.MacroLists[MilterMacroStage.EndOfMessage]);
        Assert.Equal(["{msg_id}"], negotiation.MacroLists[MilterMacroStage.EndOfHeaders]);
        Assert.Equal(4, negotiation.MacroLists.Count);
    }
}
