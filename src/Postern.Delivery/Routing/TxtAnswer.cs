namespace Postern.Delivery.Routing;

/// <summary>
/// The TXT records of a name, each record's strings joined into one text (RFC 7208 3.3 style),
/// or why there are none: <see cref="TxtAnswerStatus.NotFound"/> for NXDOMAIN or no TXT data,
/// <see cref="TxtAnswerStatus.Failed"/> for SERVFAIL, a timeout or another error.
/// </summary>
public sealed record TxtAnswer(TxtAnswerStatus Status, IReadOnlyList<string> Records)
{
    public static TxtAnswer NotFound { get; } = new(TxtAnswerStatus.NotFound, []);

    public static TxtAnswer Failed { get; } = new(TxtAnswerStatus.Failed, []);
}
