namespace Postern.Core.Stages;

/// <summary>The kinds of <see cref="LocalSubmissionResult"/>.</summary>
public enum LocalSubmissionOutcome
{
    /// <summary>Committed to the queue (on hold when a handler quarantined it).</summary>
    Queued,

    /// <summary>A handler refused it for good (5xx): the submitter gets a bounce.</summary>
    Refused,

    /// <summary>A handler refused it for now (4xx): it waits to be tried again.</summary>
    Deferred,

    /// <summary>A handler discarded it: it is dropped.</summary>
    Discarded,
}
