using Postern.Pki.Acme.Issuance;

namespace Postern.Config.Lint;

/// <summary>ACME renewal failing, or an ACME certificate within 14 days of its end (<see cref="AcmeHealth"/>).</summary>
internal static class AcmeLint
{
    public static IEnumerable<ConfigWarning> Check(PosternConfiguration configuration, TimeProvider clock) =>
        configuration.Acme is { } acme
            ? AcmeHealth.Warnings(acme, clock.GetUtcNow()).Select(w => new ConfigWarning("acme", w))
            : [];
}
