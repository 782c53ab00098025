using System.IO.Pipelines;
using Postern.Core.IO;

namespace Postern.Tests.Server;

/// <summary>One end of an in-memory connection: reads what the other end wrote, and vice versa.</summary>
internal static class DuplexPipeStream
{
    public static DuplexStream Create(PipeReader input, PipeWriter output) => new(input.AsStream(), output.AsStream());
}
