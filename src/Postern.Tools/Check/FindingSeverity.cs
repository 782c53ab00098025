namespace Postern.Tools.Check;

/// <summary>A problem makes the exit code 1; information does not.</summary>
internal enum FindingSeverity
{
    Problem,
    Info,
}
