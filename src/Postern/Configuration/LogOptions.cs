using Microsoft.Extensions.Logging;

namespace Postern.Configuration;

/// <summary>The mail log always goes to stderr; <paramref name="File"/> adds a file (absolute path) when set.</summary>
internal sealed record LogOptions(string? File, LogLevel Level);
