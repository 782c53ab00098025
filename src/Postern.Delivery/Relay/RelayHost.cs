using System.Net;

namespace Postern.Delivery.Relay;

/// <summary>One host to try, in order: its name (for SNI, certificate checks and the log), addresses and port.</summary>
public sealed record RelayHost(string Name, IReadOnlyList<IPAddress> Addresses, int Port);
