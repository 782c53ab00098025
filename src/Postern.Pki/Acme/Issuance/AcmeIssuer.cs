using Postern.Pki.Acme.Challenges;
using Postern.Pki.Acme.Protocol;

namespace Postern.Pki.Acme.Issuance;

/// <summary>
/// One order start to finish (RFC 8555 7.4): new-order, each authorization proven by the
/// responder, finalize with a fresh key's request, wait while processing, download, check the
/// chain, write the live file. Everything under one deadline; any failure is an
/// <see cref="AcmeException"/> and leaves the live file as it was.
/// </summary>
public sealed class AcmeIssuer(IAcmeProtocol protocol, IAcmeChallengeResponder responder, AcmeStore store, TimeProvider clock)
{
    /// <summary>The whole order's deadline: certbot and lego give validation a few minutes too.</summary>
    public static readonly TimeSpan OrderDeadline = TimeSpan.FromMinutes(5);

    private readonly AuthorizationSolver _solver = new(protocol, responder, clock);

    /// <param name="domains">The certificate's names, first = subject.</param>
    /// <param name="keyType">ECDSA or RSA: the key made for this certificate.</param>
    /// <param name="replaces">ARI certID of the certificate this one renews, when the server has ARI.</param>
    /// <param name="cancellationToken">Stops the order (the daemon's shutdown).</param>
    public async Task<AcmeCertificate> IssueAsync(IReadOnlyList<string> domains, AcmeKeyTypes keyType, string? replaces, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domains);
        ArgumentOutOfRangeException.ThrowIfZero(domains.Count);
        using var deadline = new CancellationTokenSource(OrderDeadline, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await OrderAsync(domains, keyType, replaces, linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new AcmeException($"the order did not complete within {OrderDeadline.TotalMinutes:0} minutes");
        }
    }

    private async Task<AcmeCertificate> OrderAsync(IReadOnlyList<string> domains, AcmeKeyTypes keyType, string? replaces, CancellationToken cancellationToken)
    {
        var order = await NewOrderAsync(domains, replaces, cancellationToken);
        foreach (var authorization in order.Authorizations)
        {
            await _solver.SolveAsync(authorization, cancellationToken);
        }
        order = await WaitWhileAsync(order, "pending", cancellationToken);
        if (order.Status != "ready")
        {
            throw OrderFailed(order, "before finalize");
        }
        // A new key every issuance (certbot's default, Let's Encrypt's advice): a leaked old key dies with its certificate.
        using var key = AcmeCsr.CreateKey(keyType);
        order = await protocol.FinalizeAsync(order.Finalize, AcmeCsr.Create(domains, key), cancellationToken);
        order = await WaitWhileAsync(order, "processing", cancellationToken);
        if (order.Status != "valid" || order.Certificate is not { } certificateUrl)
        {
            throw OrderFailed(order, "after finalize");
        }
        var chain = await protocol.DownloadCertificateAsync(certificateUrl, cancellationToken);
        var issued = IssuedChain.Check(keyType, chain, key, domains);
        store.WriteLive(keyType, key, chain);
        return issued;
    }

    /// <summary>
    /// new-order with ARI's <c>replaces</c>; a server that refuses the replacement (it was already
    /// replaced, or it does not know the certificate) gets a plain order, as RFC 9773 5 allows.
    /// </summary>
    private async Task<AcmeOrder> NewOrderAsync(IReadOnlyList<string> domains, string? replaces, CancellationToken cancellationToken)
    {
        if (replaces is null)
        {
            return await protocol.NewOrderAsync(domains, null, cancellationToken);
        }
        try
        {
            return await protocol.NewOrderAsync(domains, replaces, cancellationToken);
        }
        catch (AcmeException e) when (e.Problem is { } problem && !e.IsRateLimited && problem.Status is >= 400 and < 500)
        {
            return await protocol.NewOrderAsync(domains, null, cancellationToken);
        }
    }

    private async Task<AcmeOrder> WaitWhileAsync(AcmeOrder order, string status, CancellationToken cancellationToken)
    {
        while (order.Status == status)
        {
            await AcmePolling.WaitAsync(order.RetryAfter, clock, cancellationToken);
            order = await protocol.GetOrderAsync(order.Location, cancellationToken);
        }
        return order;
    }

    private static AcmeException OrderFailed(AcmeOrder order, string when) =>
        new(order.Error is { } problem ? $"the order is {order.Status} {when}: {problem}" : $"the order is {order.Status} {when}", order.Error);
}
