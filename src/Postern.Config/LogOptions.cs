using Microsoft.Extensions.Logging;

namespace Postern.Config;

/// <summary>The mail log always goes to stderr; <paramref name="File"/> adds a file (absolute path) when set.</summary>
public sealed record LogOptions(string? File, LogLevel Level);
