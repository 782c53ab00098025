namespace Postern.Tests.Dialogs;

/// <summary>A failed step, named by its script and line so the failure points into the file.</summary>
public sealed class DialogStepException(string message, Exception inner) : Exception(message, inner);
