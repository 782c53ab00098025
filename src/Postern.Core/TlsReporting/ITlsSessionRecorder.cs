namespace Postern.Core.TlsReporting;

/// <summary>
/// Where the relay client reports each TLS session for TLS-RPT. Implementations aggregate in
/// memory and on disk, bounded; Record must be cheap and never throw.
/// </summary>
public interface ITlsSessionRecorder
{
    void Record(TlsSessionOutcome outcome);
}
