using System.Text.Json.Serialization;

namespace Postern.Pki.Acme.Protocol.Wire;

/// <summary>Source-generated JSON for what an ACME server sends (no reflection at run time).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.Strict,
    MaxDepth = 16)]
[JsonSerializable(typeof(WireDirectory))]
[JsonSerializable(typeof(WireAccount))]
[JsonSerializable(typeof(WireOrder))]
[JsonSerializable(typeof(WireAuthorization))]
[JsonSerializable(typeof(WireChallenge))]
[JsonSerializable(typeof(WireProblem))]
[JsonSerializable(typeof(WireRenewalInfo))]
internal sealed partial class AcmeWireJsonContext : JsonSerializerContext;
