using Postern.Core.Milters;

namespace Postern.Config.Milters;

/// <summary>The <c>[[milter]]</c> entries of <c>config show</c>, written so they load back the same.</summary>
public static class MilterWriter
{
    public static void Write(TomlBuilder toml, MilterOptions milters)
    {
        ArgumentNullException.ThrowIfNull(milters);
        foreach (var milter in milters.Definitions)
        {
            WriteOne(toml, milter);
        }
    }

    /// <summary>One <c>[[milter]]</c> entry with every key.</summary>
    public static void WriteOne(TomlBuilder toml, MilterDefinition milter)
    {
        ArgumentNullException.ThrowIfNull(toml);
        ArgumentNullException.ThrowIfNull(milter);
        {
            toml.ArraySection("milter");
            toml.Key("name", TomlText.String(milter.Name));
            toml.Key("socket", TomlText.String(milter.Socket.ToString()));
            toml.Key("default_action", TomlText.String(ActionWord(milter.DefaultAction)));
            toml.Key("connect_timeout", TomlText.String(DurationSyntax.Format(milter.ConnectTimeout)));
            toml.Key("command_timeout", TomlText.String(DurationSyntax.Format(milter.CommandTimeout)));
            toml.Key("eom_timeout", TomlText.String(DurationSyntax.Format(milter.EndOfMessageTimeout)));
            var stages = MilterMacroSyntax.Stages
                .Where(s => milter.Macros.ContainsKey(s.Stage))
                .Select(s => s.Word + " = " + TomlText.Array(milter.Macros[s.Stage]))
                .ToList();
            if (stages.Count > 0)
            {
                toml.Key("macros", "{ " + string.Join(", ", stages) + " }");
            }
            if (stages.Count < MilterMacroSyntax.Stages.Count)
            {
                toml.Comment("macros not listed: sendmail's defaults for that step");
            }
        }
    }

    public static string ActionWord(MilterFailureAction action) => action switch
    {
        MilterFailureAction.Accept => "accept",
        MilterFailureAction.Reject => "reject",
        _ => "tempfail",
    };
}
