namespace Postern.Delivery.MtaSts;

/// <summary>One cached policy as stored on disk: the domain, the policy id, when it was fetched, its text.</summary>
internal sealed record MtaStsCacheFile(string Domain, string Id, DateTimeOffset FetchedAt, string Policy);
