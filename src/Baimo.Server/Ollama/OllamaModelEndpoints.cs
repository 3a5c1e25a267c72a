using System.Text.Json;
using Baimo.Hosting;
using Baimo.Hosting.Serving;
using Baimo.Hosting.Store;
using Baimo.Models;
using Baimo.Server.Http;

namespace Baimo.Server.Ollama;

/// <summary><c>GET /api/tags</c>, <c>GET /api/ps</c>, <c>POST /api/show</c>, <c>GET /api/version</c>: what is served.</summary>
public static class OllamaModelEndpoints
{
    public const string Version = "0.1.0";

    public static Task TagsAsync(HttpContext context, ModelRouter models)
    {
        if (models.Single is { } host) return TagsAsync(context, host);
        var store = models.Store!;
        return JsonOut.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("models");
            foreach (var m in store.List())
            {
                w.WriteStartObject();
                StoreIdentity(w, m, m.Size);
                w.WriteString("modified_at", m.PulledAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static Task TagsAsync(HttpContext context, ModelHost host) => JsonOut.WriteAsync(context, 200, w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("models");
        foreach (var (name, model) in Models(host))
        {
            w.WriteStartObject();
            Identity(w, name, model);
            w.WriteString("modified_at", File.GetLastWriteTimeUtc(model.Path).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>The loaded models; serving the store, <c>size</c> is the memory estimate the unloading decisions use.</summary>
    public static Task PsAsync(HttpContext context, ModelRouter models)
    {
        if (models.Single is { } host) return PsAsync(context, host);
        var store = models.Store!;
        return JsonOut.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("models");
            foreach (var loaded in models.Loaded())
            {
                w.WriteStartObject();
                if (store.Find(loaded.Name) is { } m) StoreIdentity(w, m, loaded.MemoryBytes);
                else
                {
                    w.WriteString("name", loaded.Name);
                    w.WriteString("model", loaded.Name);
                    w.WriteNumber("size", loaded.MemoryBytes);
                }
                w.WriteString("expires_at", "0001-01-01T00:00:00Z");
                w.WriteNumber("size_vram", 0);
                w.WriteNumber("context_length", loaded.Host.Engine.Options.ContextLength);
                w.WriteString("last_used_at", loaded.LastUsed.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"));
                w.WriteNumber("active_requests", loaded.ActiveRequests);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static Task PsAsync(HttpContext context, ModelHost host) => JsonOut.WriteAsync(context, 200, w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("models");
        foreach (var (name, model) in Models(host))
        {
            w.WriteStartObject();
            Identity(w, name, model);
            w.WriteString("expires_at", "0001-01-01T00:00:00Z");
            w.WriteNumber("size_vram", 0);
            if (model == host.Model) w.WriteNumber("context_length", host.Engine.Options.ContextLength);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static async Task ShowAsync(HttpContext context, ModelRouter models)
    {
        using var body = await RequestBody.ReadJsonAsync(context, models.Options.MaxBodyBytes);
        var r = new JsonRequest(body.RootElement);
        var requested = r.String("model") ?? r.String("name");
        r.Ignore("verbose");
        r.RejectUnknown();
        if (models.Single is null && string.IsNullOrEmpty(requested)) throw OllamaOptions.ModelNotFound(requested);
        using var lease = await models.AcquireAsync(requested, context.RequestAborted);
        var host = lease.Host;
        var found = Models(host).FirstOrDefault(m => (m.Model == host.Model && host.IsChatModel(requested)) || (m.Model != host.Model && host.IsEmbeddingModel(requested)));
        if (string.IsNullOrEmpty(requested) || found.Model is null) throw OllamaOptions.ModelNotFound(requested);
        var (name, model) = found;
        bool chat = model == host.Model;
        await JsonOut.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("modelfile", $"FROM {model.Path}\n");
            w.WriteString("parameters", "");
            w.WriteString("template", model.ChatTemplate ?? "");
            Details(w, model);
            w.WriteStartObject("model_info");
            var c = model.Config;
            w.WriteString("general.architecture", c.Architecture);
            w.WriteNumber("general.parameter_count", ParameterCount(model));
            w.WriteNumber($"{c.Architecture}.context_length", c.ContextLength);
            w.WriteNumber($"{c.Architecture}.embedding_length", c.EmbeddingLength);
            w.WriteNumber($"{c.Architecture}.block_count", c.BlockCount);
            w.WriteNumber($"{c.Architecture}.attention.head_count", c.HeadCount);
            w.WriteNumber($"{c.Architecture}.attention.head_count_kv", c.HeadCountKv);
            w.WriteEndObject();
            w.WriteStartArray("capabilities");
            if (chat)
            {
                w.WriteStringValue("completion");
                if (Baimo.AI.ToolCallFormats.TemplateRendersTools(model.ChatTemplate)) w.WriteStringValue("tools");
            }
            else w.WriteStringValue("embedding");
            w.WriteEndArray();
            w.WriteString("modified_at", File.GetLastWriteTimeUtc(model.Path).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
            w.WriteEndObject();
        });
    }

    public static Task VersionAsync(HttpContext context) => JsonOut.WriteAsync(context, 200, w =>
    {
        w.WriteStartObject();
        w.WriteString("version", Version);
        w.WriteEndObject();
    });

    private static IEnumerable<(string Name, TransformerModel Model)> Models(ModelHost host)
    {
        yield return (host.ModelId, host.Model);
        if (host.Embedder != null) yield return (host.EmbeddingGenerator!.ModelId, host.Embedder);
    }

    /// <summary>A store model's identity from its manifest alone, without loading it.</summary>
    private static void StoreIdentity(Utf8JsonWriter w, ModelManifest m, long size)
    {
        w.WriteString("name", m.Name);
        w.WriteString("model", m.Name);
        w.WriteNumber("size", size);
        w.WriteString("digest", m.Sha256);
        w.WriteStartObject("details");
        w.WriteString("parent_model", "");
        w.WriteString("format", "gguf");
        w.WriteString("family", m.Architecture);
        w.WriteStartArray("families");
        w.WriteStringValue(m.Architecture);
        w.WriteEndArray();
        w.WriteString("parameter_size", "");
        w.WriteString("quantization_level", m.WeightType);
        w.WriteEndObject();
    }

    private static void Identity(Utf8JsonWriter w, string name, TransformerModel model)
    {
        w.WriteString("name", name);
        w.WriteString("model", name);
        w.WriteNumber("size", new FileInfo(model.Path).Length);
        w.WriteString("digest", Digest(model.Path));
        Details(w, model);
    }

    private static void Details(Utf8JsonWriter w, TransformerModel model)
    {
        w.WriteStartObject("details");
        w.WriteString("parent_model", "");
        w.WriteString("format", "gguf");
        w.WriteString("family", model.Config.Architecture);
        w.WriteStartArray("families");
        w.WriteStringValue(model.Config.Architecture);
        w.WriteEndArray();
        w.WriteString("parameter_size", ParameterSize(ParameterCount(model)));
        w.WriteString("quantization_level", model.File.Metadata.GetInt("general.file_type")?.ToString() ?? "");
        w.WriteEndObject();
    }

    private static long ParameterCount(TransformerModel model) => model.File.ParameterCount;

    private static string ParameterSize(long n) => n switch
    {
        >= 1_000_000_000 => $"{n / 1e9:0.#}B",
        >= 1_000_000 => $"{n / 1e6:0.#}M",
        _ => $"{n / 1e3:0.#}K",
    };

    /// <summary>A stable identifier from the file's path, size and time (hashing gigabytes per request would be absurd).</summary>
    private static string Digest(string path)
    {
        var fi = new FileInfo(path);
        var key = $"{fi.FullName}|{fi.Length}|{fi.LastWriteTimeUtc.Ticks}";
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
    }
}
