using Baimo.AI;
using Baimo.Hosting;
using Baimo.Server.Errors;

namespace Baimo.Server.OpenAI;

/// <summary>Finds the embedding generator a request names, with the error a client can act on when there is none.</summary>
public static class EmbeddingModel
{
    public static BaimoEmbeddingGenerator Resolve(ModelHost host, string? model)
    {
        if (host.IsEmbeddingModel(model)) return host.EmbeddingGenerator!;
        if (host.EmbeddingGenerator is null && (string.IsNullOrEmpty(model) || host.IsChatModel(model)))
            throw ApiException.BadRequest($"no embedding model is loaded: {host.ModelId} generates text only (start the server with --embedding-model)", "model", "model_not_supported");
        if (host.IsChatModel(model))
            throw ApiException.BadRequest($"{host.ModelId} generates text; use {host.EmbeddingGenerator!.ModelId} for embeddings", "model", "model_not_supported");
        throw ApiException.ModelNotFound(model!);
    }
}
