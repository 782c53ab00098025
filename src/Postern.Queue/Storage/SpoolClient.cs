namespace Postern.Queue.Storage;

internal sealed record SpoolClient(
    string? Address,
    string? HeloName,
    string Protocol,
    string ListenerName,
    string? AuthenticatedUser);
