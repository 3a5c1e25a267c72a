namespace Baimo.Server.Ollama;

/// <summary>The Ollama-compatible routes under <c>/api</c>.</summary>
public static class OllamaEndpoints
{
    public static IEndpointRouteBuilder MapOllamaEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapPost("/chat", OllamaChatEndpoint.HandleAsync);
        api.MapPost("/generate", OllamaGenerateEndpoint.HandleAsync);
        api.MapPost("/embed", OllamaEmbedEndpoint.HandleAsync);
        api.MapGet("/tags", OllamaModelEndpoints.TagsAsync);
        api.MapGet("/ps", OllamaModelEndpoints.PsAsync);
        api.MapPost("/show", OllamaModelEndpoints.ShowAsync);
        api.MapGet("/version", OllamaModelEndpoints.VersionAsync);
        return app;
    }
}
