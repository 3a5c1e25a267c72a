using Baimo.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Baimo.Hosting;

/// <summary>Registers a <see cref="ModelHost"/> and the Microsoft.Extensions.AI clients over it.</summary>
public static class BaimoServiceCollectionExtensions
{
    /// <summary>Adds the loaded models: <see cref="ModelHost"/>, <see cref="InferenceEngine"/>, <see cref="IChatClient"/> and, with an embedding model, <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/>.</summary>
    public static IServiceCollection AddBaimo(this IServiceCollection services, ModelHost host)
    {
        services.AddSingleton(host);
        services.AddSingleton(host.Options);
        services.AddSingleton(host.Engine);
        services.AddSingleton(host.ChatClient);
        services.AddSingleton<IChatClient>(host.ChatClient);
        if (host.EmbeddingGenerator != null)
        {
            services.AddSingleton(host.EmbeddingGenerator);
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(host.EmbeddingGenerator);
        }
        return services;
    }
}
