namespace Postern.Cli;

/// <summary>What <c>postern queue hold|release|delete</c> does to one message.</summary>
internal enum QueueAction
{
    Hold,
    Release,
    Delete,
}
