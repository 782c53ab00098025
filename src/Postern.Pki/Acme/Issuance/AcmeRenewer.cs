using System.Net.Sockets;
using System.Security.Cryptography;
using Postern.Pki.Acme.Challenges;
using Postern.Pki.Acme.Protocol;

namespace Postern.Pki.Acme.Issuance;

/// <summary>
/// Renewal as the daemon and <c>postern cert acme renew</c> both run it: the state reconciled
/// with the live files, ARI asked when its poll time has come, and one attempt that orders every
/// due certificate under the lock and records the outcome (success, or the error and the backoff)
/// in state.json. Logging, metrics and reloading are the caller's.
/// </summary>
public sealed class AcmeRenewer
{
    private readonly AcmeOptions _options;
    private readonly AcmeStore _store;
    private readonly IAcmeProtocol _protocol;
    private readonly TimeProvider _clock;
    private readonly RenewalSchedule _schedule;
    private readonly AcmeIssuer _issuer;

    public AcmeRenewer(AcmeOptions options, AcmeStore store, IAcmeProtocol protocol, IAcmeChallengeResponder responder, TimeProvider clock, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _store = store;
        _protocol = protocol;
        _clock = clock;
        _schedule = new RenewalSchedule(options.RenewBefore, random);
        _issuer = new AcmeIssuer(protocol, responder, store, clock);
        Accounts = new AcmeAccounts(options, store, protocol, clock);
    }

    public AcmeAccounts Accounts { get; }

    /// <summary>The configured key types, ECDSA first.</summary>
    public IReadOnlyList<AcmeKeyTypes> KeyTypes => AcmeKeyTypeNames.Each(_options.KeyTypes);

    /// <summary>state.json matched to the live files (a replaced or removed file wins) with each renewal time chosen and the next attempt planned.</summary>
    public AcmeState CurrentState() => Planned(Reconcile(_store.LoadState()));

    /// <summary>When the daemon must look again: the next attempt or the next ARI poll, whichever is first.</summary>
    public static DateTimeOffset NextWake(AcmeState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var wake = state.NextRenewal ?? DateTimeOffset.MaxValue;
        foreach (var certificate in state.Certificates)
        {
            if (certificate.AriNextPoll is { } poll && poll < wake)
            {
                wake = poll;
            }
        }
        return wake;
    }

    /// <summary>
    /// Asks the server's renewal info (RFC 9773) for each live certificate whose poll time has
    /// come and saves the windows. Returns the problems met (one line each); a failed poll is tried
    /// again after 6 hours and meanwhile the last window, or renew_before, stands.
    /// </summary>
    public async Task<IReadOnlyList<string>> RefreshRenewalInfoAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        IDisposable held;
        try
        {
            held = _store.Lock();
        }
        catch (IOException)
        {
            return problems; // An order is running; it refreshes the state itself.
        }
        using (held)
        {
            var state = Reconcile(_store.LoadState());
            var now = _clock.GetUtcNow();
            foreach (var keyType in KeyTypes)
            {
                if (state.For(keyType) is not { } certificate || certificate.AriNextPoll > now)
                {
                    continue;
                }
                using var leaf = _store.ReadLiveLeaf(keyType);
                if (leaf is null)
                {
                    continue;
                }
                try
                {
                    var info = await _protocol.GetRenewalInfoAsync(leaf, cancellationToken);
                    certificate = info is null
                        ? certificate with { AriWindowStart = null, AriWindowEnd = null, AriExplanation = null, AriNextPoll = now + RenewalSchedule.AriMaxPoll }
                        : certificate with { AriWindowStart = info.WindowStart, AriWindowEnd = info.WindowEnd, AriExplanation = info.ExplanationUrl?.ToString(), AriNextPoll = RenewalSchedule.NextAriPoll(now, info.RetryAfter) };
                }
                catch (Exception e) when (IsAttemptFailure(e))
                {
                    problems.Add($"renewal info for the {AcmeKeyTypeNames.Name(keyType)} certificate: {e.Message}");
                    certificate = certificate with { AriNextPoll = now + RenewalSchedule.AriMinPoll };
                }
                state = state.With(_schedule.Choose(certificate));
            }
            _store.SaveState(Planned(state));
        }
        return problems;
    }

    /// <summary>
    /// One attempt: under the lock, orders each certificate that is due (every configured one when
    /// <paramref name="force"/>), through the account (registered on first use). A failure keeps
    /// the current certificates and sets the backoff; certificates issued before it stay live.
    /// </summary>
    public Task<AcmeAttempt> RenewAsync(bool force, CancellationToken cancellationToken) => RenewAsync(force, requested: false, cancellationToken);

    /// <inheritdoc cref="RenewAsync(bool, CancellationToken)"/>
    /// <param name="force">Order every configured certificate, due or not.</param>
    /// <param name="requested">The attempt answers renew.request: the saved state says when (<see cref="AcmeState.RequestHandledAt"/>), even when nothing was due.</param>
    /// <param name="cancellationToken">Stops the attempt.</param>
    public async Task<AcmeAttempt> RenewAsync(bool force, bool requested, CancellationToken cancellationToken)
    {
        IDisposable held;
        try
        {
            held = _store.Lock();
        }
        catch (IOException e)
        {
            return new AcmeAttempt(AcmeAttemptResult.Busy, [], CurrentState()) { Error = e.Message, Domains = _options.Domains };
        }
        using (held)
        {
            var state = Planned(Reconcile(_store.LoadState()));
            var now = _clock.GetUtcNow();
            var due = KeyTypes.Where(k => force || RenewalSchedule.Due(state.For(k), _options.Domains, now).IsDue(now)).ToList();
            if (requested)
            {
                state = state with { RequestHandledAt = now };
            }
            if (due.Count == 0)
            {
                _store.SaveState(state);
                return new AcmeAttempt(AcmeAttemptResult.NotDue, [], state) { Domains = _options.Domains };
            }
            var issued = new List<AcmeCertificate>();
            try
            {
                await Accounts.EnsureAsync(cancellationToken);
                foreach (var keyType in due)
                {
                    var previous = state.For(keyType);
                    // replaces only where the server has ARI (it answered renewal info for the certificate).
                    var replaces = previous?.AriWindowStart is not null ? previous.CertId : null;
                    var certificate = await _issuer.IssueAsync(_options.Domains, keyType, replaces, cancellationToken);
                    issued.Add(certificate);
                    state = state.With(_schedule.Choose(certificate.ToState(_clock.GetUtcNow())));
                }
                state = state with { LastAttempt = _clock.GetUtcNow(), LastResult = "issued", ConsecutiveFailures = 0, RetryAt = null };
                state = Planned(state);
                _store.SaveState(state);
                return new AcmeAttempt(AcmeAttemptResult.Issued, issued, state) { Domains = _options.Domains };
            }
            catch (Exception e) when (IsAttemptFailure(e))
            {
                var failedAt = _clock.GetUtcNow();
                var failures = state.ConsecutiveFailures + 1;
                var retryAfter = (e as AcmeException)?.RetryAfter;
                state = Planned(state with
                {
                    LastAttempt = failedAt,
                    LastResult = "failed",
                    LastError = e.Message,
                    LastErrorAt = failedAt,
                    ConsecutiveFailures = failures,
                    RetryAt = failedAt + RenewalSchedule.Backoff(failures, retryAfter),
                });
                _store.SaveState(state);
                return new AcmeAttempt(AcmeAttemptResult.Failed, issued, state) { Error = e.Message, Domains = _options.Domains };
            }
        }
    }

    /// <summary>What makes an attempt fail without stopping the daemon: the server's refusals, the network, the disk.</summary>
    private static bool IsAttemptFailure(Exception e) =>
        e is AcmeException or IOException or HttpRequestException or SocketException or UnauthorizedAccessException or CryptographicException;

    /// <summary>
    /// The state as the live files are: an entry whose file is gone is dropped, a file with another
    /// serial (replaced by hand, or by another directory's state) gets a fresh entry.
    /// </summary>
    private AcmeState Reconcile(AcmeState state)
    {
        foreach (var keyType in KeyTypes)
        {
            using var leaf = _store.ReadLiveLeaf(keyType);
            var name = AcmeKeyTypeNames.Name(keyType);
            if (leaf is null)
            {
                state = state with { Certificates = [.. state.Certificates.Where(c => c.KeyType != name)] };
                continue;
            }
            var live = AcmeCertificate.From(keyType, leaf);
            if (state.For(keyType) is not { } recorded || recorded.Serial != live.Serial)
            {
                state = state.With(live.ToState(live.NotBefore));
            }
        }
        return state;
    }

    /// <summary>Each certificate's renewal time chosen, and the next attempt.</summary>
    private AcmeState Planned(AcmeState state)
    {
        foreach (var certificate in state.Certificates.ToList())
        {
            state = state.With(_schedule.Choose(certificate));
        }
        var plan = RenewalSchedule.Next(state, KeyTypes, _options.Domains, _clock.GetUtcNow());
        return state with { NextRenewal = plan.At, NextRenewalReason = plan.Reason };
    }
}
