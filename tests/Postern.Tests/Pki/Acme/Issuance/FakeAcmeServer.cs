using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Pki.Acme.Protocol;

namespace Postern.Tests.Pki.Acme.Issuance;

/// <summary>
/// An RFC 8555 server in memory behind <see cref="IAcmeProtocol"/>: orders, authorizations that
/// become valid only when <see cref="FakeResponder"/> serves the right key authorization, a CA that
/// signs the finalized request's key for the order's names, ARI answers, and switches to fail.
/// </summary>
internal sealed class FakeAcmeServer : IAcmeProtocol, IDisposable
{
    private const string Thumbprint = "thumb";
    private readonly FakeResponder _responder;
    private readonly TimeProvider _clock;
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;
    private readonly Dictionary<Uri, Order> _orders = [];
    private readonly Dictionary<Uri, Authz> _authorizations = [];
    private int _next;

    public FakeAcmeServer(FakeResponder responder, TimeProvider clock)
    {
        _responder = responder;
        _clock = clock;
        var request = new CertificateRequest("CN=Fake ACME Intermediate", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(clock.GetUtcNow().AddDays(-1), clock.GetUtcNow().AddYears(5));
    }

    public Uri? AccountUrl { get; private set; }

    public int Registrations { get; private set; }

    public List<string?> Replaces { get; } = [];

    public int Finalized { get; private set; }

    /// <summary>Challenge types the server offers.</summary>
    public string[] Offers { get; set; } = ["http-01", "dns-01", "tls-alpn-01"];

    public TimeSpan Validity { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How many times an order stays "processing" after finalize.</summary>
    public int ProcessingPolls { get; set; } = 1;

    /// <summary>Thrown by new-order when set (pebble down, a rate limit).</summary>
    public AcmeException? NewOrderFailure { get; set; }

    /// <summary>new-order refuses a replaces value (already replaced).</summary>
    public bool RefuseReplaces { get; set; }

    /// <summary>The issued chain's leaf drops this name (a broken CA).</summary>
    public string? OmitName { get; set; }

    /// <summary>The issued leaf certifies another key (a broken CA).</summary>
    public bool WrongKey { get; set; }

    /// <summary>ARI's answer; null = the directory has no renewalInfo.</summary>
    public AcmeRenewalInfo? RenewalInfo { get; set; }

    public AcmeException? RenewalInfoFailure { get; set; }

    public int RenewalInfoQueries { get; private set; }

    public static string CaName => "Fake ACME Intermediate";

    public Task<AcmeDirectory> GetDirectoryAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new AcmeDirectory(Url("nonce"), Url("account"), Url("order"), null, null, RenewalInfo is null ? null : Url("ari"), null, false));

    public Task<AcmeAccount> RegisterAsync(AcmeAccountRequest request, CancellationToken cancellationToken)
    {
        Registrations++;
        AccountUrl ??= Url("acct");
        return Task.FromResult(new AcmeAccount(AccountUrl, "valid", request.Contact));
    }

    public void UseAccount(Uri accountUrl) => AccountUrl = accountUrl;

    public Task<AcmeOrder> NewOrderAsync(IReadOnlyList<string> domains, string? replaces, CancellationToken cancellationToken)
    {
        Replaces.Add(replaces);
        if (AccountUrl is null)
        {
            throw new AcmeException("no account", new AcmeProblem(AcmeProblem.ErrorPrefix + "accountDoesNotExist", null, 400));
        }
        if (NewOrderFailure is { } failure)
        {
            throw failure;
        }
        if (replaces is not null && RefuseReplaces)
        {
            throw new AcmeException("already replaced", new AcmeProblem(AcmeProblem.ErrorPrefix + "alreadyReplaced", "already replaced", 409));
        }
        var order = new Order(Url("order"), [.. domains], Url("finalize"));
        foreach (var domain in domains)
        {
            var authz = new Authz(Url("authz"), domain, [.. Offers.Select(type => new AcmeChallenge(Url("chall"), type, "pending", "tok" + Next(), null))]);
            _authorizations[authz.Location] = authz;
            order.Authorizations.Add(authz.Location);
        }
        _orders[order.Location] = order;
        _orders[order.Finalize] = order;
        return Task.FromResult(Snapshot(order));
    }

    public Task<AcmeOrder> GetOrderAsync(Uri order, CancellationToken cancellationToken)
    {
        var current = _orders[order];
        if (current.Status == "pending" && current.Authorizations.All(a => _authorizations[a].Status == "valid"))
        {
            current.Status = "ready";
        }
        else if (current.Status == "processing" && current.ProcessingLeft-- <= 0)
        {
            current.Status = "valid";
        }
        return Task.FromResult(Snapshot(current));
    }

    public Task<AcmeAuthorization> GetAuthorizationAsync(Uri authorization, CancellationToken cancellationToken)
    {
        var authz = _authorizations[authorization];
        return Task.FromResult(new AcmeAuthorization(authz.Location, authz.Status, authz.Domain, false, authz.Challenges, null));
    }

    /// <summary>Validates at once against what the responder serves: the right key authorization or invalid.</summary>
    public Task<AcmeChallenge> AnswerChallengeAsync(Uri challenge, CancellationToken cancellationToken)
    {
        var authz = _authorizations.Values.Single(a => a.Challenges.Any(c => c.Url == challenge));
        var answered = authz.Challenges.Single(c => c.Url == challenge);
        var expected = KeyAuthorization(answered.Token);
        var served = _responder.Answer(authz.Domain, answered.Token);
        var valid = served == expected;
        authz.Status = valid ? "valid" : "invalid";
        var error = valid ? null : new AcmeProblem(AcmeProblem.ErrorPrefix + "unauthorized", $"The key authorization file from the server did not match this challenge \"{expected}\" != \"{served}\"", 403);
        authz.Challenges = [.. authz.Challenges.Select(c => c.Url == challenge ? c with { Status = authz.Status, Error = error } : c)];
        return Task.FromResult(authz.Challenges.Single(c => c.Url == challenge));
    }

    public Task<AcmeOrder> FinalizeAsync(Uri finalize, ReadOnlyMemory<byte> csrDer, CancellationToken cancellationToken)
    {
        var order = _orders[finalize];
        if (order.Status != "ready")
        {
            throw new AcmeException("orderNotReady", new AcmeProblem(AcmeProblem.ErrorPrefix + "orderNotReady", "not ready", 403));
        }
        Finalized++;
        var request = CertificateRequest.LoadSigningRequest(csrDer.ToArray(), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = WrongKey
            ? new CertificateRequest(request.SubjectName, otherKey, HashAlgorithmName.SHA256)
            : new CertificateRequest(request.SubjectName, request.PublicKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var domain in order.Domains.Where(d => d != OmitName))
        {
            names.AddDnsName(domain);
        }
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        var now = _clock.GetUtcNow();
        var serial = BitConverter.GetBytes(0x1000 + Next()).Reverse().ToArray();
        using var leaf = leafRequest.Create(_ca.SubjectName, X509SignatureGenerator.CreateForECDsa(_caKey), now.AddMinutes(-1), now.AddMinutes(-1) + Validity, serial);
        order.Chain = leaf.ExportCertificatePem() + "\n" + _ca.ExportCertificatePem() + "\n";
        order.Status = "processing";
        order.ProcessingLeft = ProcessingPolls;
        return Task.FromResult(Snapshot(order));
    }

    public Task<string> DownloadCertificateAsync(Uri certificate, CancellationToken cancellationToken) =>
        Task.FromResult(_orders.Values.First(o => o.CertificateUrl == certificate).Chain!);

    public Task<AcmeRenewalInfo?> GetRenewalInfoAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        RenewalInfoQueries++;
        if (RenewalInfoFailure is { } failure)
        {
            throw failure;
        }
        return Task.FromResult(RenewalInfo);
    }

    public string KeyAuthorization(string token) => token + "." + Thumbprint;

    public void Dispose()
    {
        _caKey.Dispose();
        _ca.Dispose();
    }

    private static AcmeOrder Snapshot(Order order) =>
        new(order.Location, order.Status, order.Domains, [.. order.Authorizations], order.Finalize, order.Status == "valid" ? order.CertificateUrl : null, null, null, null);

    private int Next() => Interlocked.Increment(ref _next);

    private Uri Url(string kind) => new($"https://acme.test/{kind}/{Next().ToString(CultureInfo.InvariantCulture)}");

    private sealed class Order(Uri location, List<string> domains, Uri finalize)
    {
        public Uri Location { get; } = location;
        public List<string> Domains { get; } = domains;
        public List<Uri> Authorizations { get; } = [];
        public Uri Finalize { get; } = finalize;
        public Uri CertificateUrl { get; } = new(location + "/cert");
        public string Status { get; set; } = "pending";
        public int ProcessingLeft { get; set; }
        public string? Chain { get; set; }
    }

    private sealed class Authz(Uri location, string domain, List<AcmeChallenge> challenges)
    {
        public Uri Location { get; } = location;
        public string Domain { get; } = domain;
        public string Status { get; set; } = "pending";
        public List<AcmeChallenge> Challenges { get; set; } = challenges;
    }
}
