using System.Text.Json.Serialization;

namespace Baimo.Knowledge.Storage;

/// <summary>Source-generated JSON for the heading paths stored with chunks (no reflection at run time).</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class StoreJson : JsonSerializerContext;
