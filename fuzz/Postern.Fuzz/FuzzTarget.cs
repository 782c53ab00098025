namespace Postern.Fuzz;

/// <summary>
/// One fuzzing harness: feeds one input to the code under test and checks what must hold. It
/// returns normally for any input the code handles as designed (including a refusal or the
/// exception the code documents); anything else escapes as an exception, which AFL++ records as
/// a crash and the corpus replay test reports as a failure.
/// </summary>
/// <param name="Name">The name given to <c>fuzz/run</c> and used for the corpus folder <c>fuzz/corpus/NAME</c>.</param>
/// <param name="Summary">What it drives, for <c>postern-fuzz list</c> and the docs.</param>
/// <param name="Run">Runs one input.</param>
internal sealed record FuzzTarget(string Name, string Summary, Action<byte[]> Run);
