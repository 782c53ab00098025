namespace Postern.Pki.Acme.Protocol;

/// <summary>
/// The order URL of each finalize URL the client has seen, so the order finalize returns can be
/// polled at its own URL even when the server's answer to finalize carries no Location header.
/// </summary>
internal sealed class OrderUrls
{
    private const int Capacity = 32;

    private readonly Lock _lock = new();
    private readonly Dictionary<Uri, Uri> _byFinalize = [];

    public AcmeOrder Remember(AcmeOrder order)
    {
        lock (_lock)
        {
            if (_byFinalize.Count >= Capacity && !_byFinalize.ContainsKey(order.Finalize))
            {
                _byFinalize.Clear();
            }
            _byFinalize[order.Finalize] = order.Location;
        }
        return order;
    }

    public Uri? Of(Uri finalize)
    {
        lock (_lock)
        {
            return _byFinalize.GetValueOrDefault(finalize);
        }
    }
}
