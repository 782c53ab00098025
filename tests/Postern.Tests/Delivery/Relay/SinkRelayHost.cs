using System.Net;
using Postern.Delivery.Relay;
using Postern.Testing.Smtp;

namespace Postern.Tests.Delivery.Relay;

/// <summary>The sink as a relay client's destination: the shared sink knows nothing of the relay's types, so this lives here.</summary>
internal static class SinkRelayHost
{
    public static RelayHost Host(this SmtpSink sink, string name = "sink.test") => new(name, [IPAddress.Loopback], sink.Port);
}
