using System.Text.RegularExpressions;
using Postern.Server.Options;

namespace Postern.Config;

/// <summary>Binds <c>[auth]</c>: offered and trusted SASL mechanisms, their limits and the sender login map.</summary>
public static partial class AuthBinder
{
    /// <summary>The mechanisms Postern knows how to run (RFC 4616, 2195, 2831, 5802, 7677, 4422); ANONYMOUS is not one.</summary>
    public static readonly IReadOnlyList<string> KnownMechanisms =
    [
        "PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5",
        "SCRAM-SHA-1", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-256-PLUS", "EXTERNAL",
    ];

    public static AuthOptions Bind(ConfigSection? section, string dataDirectory, ConfigurationInputs inputs)
    {
        var defaults = new AuthOptions();
        if (section is null)
        {
            return defaults;
        }
        var mechanisms = ReadMechanisms(section, "mechanisms") ?? defaults.Mechanisms;
        // Left out, every offered mechanism is trusted (they all prove a password or a certificate).
        var trusted = ReadMechanisms(section, "trusted_mechanisms") ?? mechanisms;
        foreach (var name in trusted.Where(t => !mechanisms.Contains(t, StringComparer.Ordinal)))
        {
            section.Error("trusted_mechanisms", $"lists {ConfigValueText.Quote(name)}, which auth.mechanisms does not offer; a trusted mechanism must also be offered");
        }
        if (section.GetBoolean("allow_anonymous") is true)
        {
            section.Error("allow_anonymous", "ANONYMOUS is not supported: anonymous AUTH would identify nobody; remove the key or set it to false");
        }
        var users = MapReferenceSyntax.Read(section, "users_file", dataDirectory, fileMustExist: false, inputs);
        var options = defaults with
        {
            Mechanisms = mechanisms,
            TrustedMechanisms = trusted,
            PlaintextRequiresTls = section.GetBoolean("plaintext_requires_tls") ?? defaults.PlaintextRequiresTls,
            AuthParamOnlyWhenAuthenticated = section.GetBoolean("auth_param_only_when_authenticated") ?? defaults.AuthParamOnlyWhenAuthenticated,
            FailureDelay = section.GetDuration("failure_delay", TimeSpan.Zero, TimeSpan.FromMinutes(1)) ?? defaults.FailureDelay,
            MaxFailures = (int?)section.GetInteger("max_failures", 1, 100_000) ?? defaults.MaxFailures,
            FailureWindow = section.GetDuration("failure_window", TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)) ?? defaults.FailureWindow,
            BlockDuration = section.GetDuration("block_duration", TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)) ?? defaults.BlockDuration,
            SenderLoginMap = MapReferenceSyntax.Read(section, "sender_login_map", dataDirectory, fileMustExist: true, inputs),
            // May not exist yet: `postern user add` creates it, and until then nobody can authenticate.
            UsersFile = users is { IsDatabase: false } ? users.FilePath : null,
            UsersTable = users?.TableName,
        };
        section.ReportUnknownKeys();
        return options;
    }

    /// <summary>A list of mechanism names, upper-cased; null when absent or wrong (reported).</summary>
    private static List<string>? ReadMechanisms(ConfigSection section, string key)
    {
        if (section.GetStringArray(key) is not { } values)
        {
            return null;
        }
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = value.ToUpperInvariant();
            if (name == "ANONYMOUS")
            {
                section.Error(key, "ANONYMOUS is not supported: anonymous AUTH would identify nobody");
                return null;
            }
            if (!MechanismPattern().IsMatch(name) || !KnownMechanisms.Contains(name, StringComparer.Ordinal))
            {
                section.Error(key, $"must list SASL mechanisms from {string.Join(", ", KnownMechanisms)}, got {ConfigValueText.Quote(value)}");
                return null;
            }
            if (names.Contains(name, StringComparer.Ordinal))
            {
                section.Error(key, $"lists {ConfigValueText.Quote(value)} twice");
                return null;
            }
            names.Add(name);
        }
        return names;
    }

    // RFC 4422 section 3.1: up to 20 of A-Z 0-9 - _.
    [GeneratedRegex("^[A-Z0-9_-]{1,20}$")]
    private static partial Regex MechanismPattern();
}
