namespace Postern.Delivery.Aliases;

/// <summary>One alias: its lowercased name, its values in file order and the line it starts on.</summary>
public sealed record AliasEntry(string Name, IReadOnlyList<AliasValue> Values, int Line);
