namespace Postern.Protocol.Data;

/// <summary>
/// Writes body bytes to an optional destination. An <see cref="IOException"/> is recorded and
/// turns further writes into no-ops, so the reader can keep consuming to the end of the body.
/// </summary>
internal sealed class DataSink(Stream? destination)
{
    private Stream? destination = destination;

    public long BytesWritten { get; private set; }

    public Exception? WriteError { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (destination is null || data.IsEmpty)
        {
            return;
        }
        try
        {
            await destination.WriteAsync(data, cancellationToken);
            BytesWritten += data.Length;
        }
        catch (IOException ex)
        {
            WriteError = ex;
            destination = null;
        }
    }
}
