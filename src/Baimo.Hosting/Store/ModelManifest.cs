using System.Text.Json.Serialization;

namespace Baimo.Hosting.Store;

/// <summary>
/// What the store knows about one pulled model: where it came from, which file, its checksum and what the
/// GGUF says it is. One JSON file per model, so listing the store never opens a multi-gigabyte weight file.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>The name the model is pulled and addressed by, e.g. <c>qwen2.5:0.5b</c> or <c>hf.co/OWNER/REPO:Q8_0</c>.</summary>
    public required string Name { get; init; }
    /// <summary>The URL the file was downloaded from.</summary>
    public required string Source { get; init; }
    /// <summary>The hub repository, e.g. <c>hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF</c>.</summary>
    public required string Repository { get; init; }
    /// <summary>The file's path inside the repository.</summary>
    public required string File { get; init; }
    /// <summary>Lower-case hex SHA-256 of the file, as the hub published it and the download confirmed.</summary>
    public required string Sha256 { get; init; }
    public required long Size { get; init; }
    /// <summary><c>general.architecture</c> of the GGUF (llama, qwen2, bert, …).</summary>
    public required string Architecture { get; init; }
    /// <summary>The dominant weight type of the file (Q4_K_M, Q8_0, F16, …).</summary>
    public required string WeightType { get; init; }
    public required DateTimeOffset PulledAt { get; init; }
}

/// <summary>Source-generated JSON for manifests, so the store works with reflection-free serialization.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ModelManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;
