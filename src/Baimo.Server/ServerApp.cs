using System.Net;
using Microsoft.AspNetCore.Hosting;
using Baimo.Hosting;
using Baimo.Hosting.Knowledge;
using Baimo.Hosting.Serving;
using Baimo.Hosting.Store;
using Baimo.Server.Errors;
using Baimo.Server.Health;
using Baimo.Server.Knowledge;
using Baimo.Server.Metrics;
using Baimo.Server.Ollama;
using Baimo.Server.OpenAI;
using Baimo.Server.Security;
using Baimo.Server.Web;

namespace Baimo.Server;

/// <summary>
/// The server: metrics → errors → API key, then the routes — health and metrics, OpenAI's <c>/v1</c>,
/// Ollama's <c>/api</c>, the knowledge bases' <c>/v1/kb</c>. The models are loaded before it starts listening.
/// </summary>
public static class ServerApp
{
    /// <summary>Loads the model(s) and builds the app; <paramref name="configure"/> may adjust the builder (tests use it to host in memory).</summary>
    public static WebApplication Build(ServeOptions options, Action<WebApplicationBuilder>? configure = null) =>
        Build(ModelHost.Load(options), configure);

    /// <summary>Builds the app over models already loaded; the app disposes them when it stops.</summary>
    public static WebApplication Build(ModelHost host, Action<WebApplicationBuilder>? configure = null) =>
        Build(new SingleModelRouter(host), s => s.AddBaimo(host), configure);

    /// <summary>
    /// Builds the app over a model store: every model in it is served by name, loaded on first use and
    /// unloaded (least recently used first) to stay within <see cref="ServeOptions.MaxMemoryBytes"/>.
    /// </summary>
    public static WebApplication Build(ModelStore store, ServeOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        options.Validate();
        return Build(new ModelPool(store, options), s => s.AddSingleton(options), configure);
    }

    private static WebApplication Build(ModelRouter models, Action<IServiceCollection> register, Action<WebApplicationBuilder>? configure)
    {
        var options = models.Options;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.AddServerHeader = false;
            Listen(k, options.Host, options.Port);
        });
        register(builder.Services);
        builder.Services.AddSingleton(models);
        var knowledge = new KnowledgeBases(options.KnowledgeRoot, models.Store);
        builder.Services.AddSingleton(knowledge);
        builder.Services.AddSingleton<ServerMetrics>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            knowledge.Dispose();
            models.DisposeAsync().AsTask().GetAwaiter().GetResult();
        });
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapHealthEndpoints();
        app.MapChatPageEndpoints();
        app.MapOpenAiEndpoints();
        app.MapOllamaEndpoints();
        app.MapKnowledgeEndpoints();
        return app;
    }

    private static void Listen(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions k, string host, int port)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) k.ListenLocalhost(port);
        else if (IPAddress.TryParse(host, out var ip)) k.Listen(ip, port);
        else throw new ArgumentException($"--host must be an IP address or localhost (got '{host}')");
    }
}
