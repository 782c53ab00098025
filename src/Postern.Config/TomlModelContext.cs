using Tomlyn.Model;
using Tomlyn.Serialization;

namespace Postern.Config;

/// <summary>
/// The TOML document model, resolved by Tomlyn's source generator instead of reflection: the
/// configuration then loads the same in the Native AOT <c>sendmail</c> entry point (which has no
/// reflection-based serializer) as in <c>postern</c>.
/// </summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class TomlModelContext : TomlSerializerContext;
