using System.Net;
using Postern.Core.Policy;

namespace Postern.Server.Options;

/// <summary>One <c>[[listener]]</c>: a named socket with a role. TLS and AUTH issues add fields here.</summary>
public sealed record ListenerOptions(string Name, IPEndPoint EndPoint, ListenerRole Role);
