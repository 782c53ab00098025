namespace Postern.Delivery.Routing;

/// <summary>TXT records of one name (<c>_mta-sts.DOMAIN</c>, <c>_smtp._tls.DOMAIN</c>).</summary>
public interface ITxtResolver
{
    ValueTask<TxtAnswer> LookupTxtAsync(string name, CancellationToken cancellationToken);
}
