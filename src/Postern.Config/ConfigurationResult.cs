using System.Diagnostics.CodeAnalysis;

namespace Postern.Config;

/// <summary>The outcome of loading: a configuration when valid, otherwise every error found.</summary>
public sealed record ConfigurationResult(PosternConfiguration? Configuration, IReadOnlyList<ConfigError> Errors)
{
    [MemberNotNullWhen(true, nameof(Configuration))]
    public bool Succeeded => Configuration is not null && Errors.Count == 0;

    public static ConfigurationResult Failure(IReadOnlyList<ConfigError> errors) => new(null, errors);
}
