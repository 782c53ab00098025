using System.Text;
using Postern.Config;

namespace Postern.Fuzz.Targets;

/// <summary>
/// postern.toml loading (TOML parsing, binding, validation) with every outside input fixed. Bad
/// text never throws: the result lists errors, each naming the file. A configuration that loads
/// is written as <c>config show</c> writes it, and that text loads back and writes the same
/// (what ConfigurationWriter promises).
/// </summary>
internal static class TomlTarget
{
    private const string Source = "postern.toml";

    private static readonly ConfigurationInputs Inputs = new(null, "/etc/postern", _ => null, "/var/lib/postern", "mx.test")
    {
        FileExists = _ => true,
        DirectoryExists = _ => true,
    };

    public static void Run(byte[] input)
    {
        var result = ConfigurationLoader.LoadFromText(Encoding.UTF8.GetString(input), Source, Inputs);
        if (!result.Succeeded)
        {
            FuzzInvariantException.Require(result.Errors.Count > 0, "a refused configuration says why");
            FuzzInvariantException.Require(result.Errors.All(e => e.File == Source && e.Message.Length > 0), "every error names the file");
            return;
        }
        var shown = ConfigurationWriter.Write(result.Configuration, "/var/lib/postern/users");
        var again = ConfigurationLoader.LoadFromText(shown, Source, Inputs);
        FuzzInvariantException.Require(again.Succeeded, "config show's output loads: " + string.Join("; ", again.Errors));
        // The EAB MAC key is never shown (config show writes the EAB keys as comments): what loads back is the configuration without the binding.
        var expected = result.Configuration.Acme is { EabKeyId: not null } acme
            ? ConfigurationWriter.Write(result.Configuration with { Acme = acme with { EabKeyId = null, EabHmacKey = null } }, "/var/lib/postern/users")
            : shown;
        FuzzInvariantException.Require(ConfigurationWriter.Write(again.Configuration!, "/var/lib/postern/users") == expected, "config show's output loads back to the same configuration");
    }
}
