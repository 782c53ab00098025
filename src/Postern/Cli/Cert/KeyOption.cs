using System.CommandLine;
using Postern.Pki.Authority;

namespace Postern.Cli.Cert;

/// <summary>The <c>--key ecdsa-p256|rsa-3072</c> option.</summary>
internal static class KeyOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--key")
        {
            Description = "Key type: ecdsa-p256 (default) or rsa-3072 (for clients without ECDSA)",
            DefaultValueFactory = _ => KeyAlgorithmNames.EcdsaP256,
        };
        option.AcceptOnlyFromAmong([.. KeyAlgorithmNames.All]);
        return option;
    }

    public static bool TryGet(ParseResult parse, Option<string> option, TextWriter error, out KeyAlgorithm algorithm)
    {
        var text = parse.GetValue(option);
        if (KeyAlgorithmNames.TryParse(text, out algorithm))
        {
            return true;
        }
        error.WriteLine($"postern: cert: --key {text}: use {string.Join(" or ", KeyAlgorithmNames.All)}");
        return false;
    }
}
