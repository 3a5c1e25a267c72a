namespace Baimo.Server.OpenAI;

/// <summary>The OpenAI-compatible routes under <c>/v1</c>.</summary>
public static class OpenAiEndpoints
{
    public static IEndpointRouteBuilder MapOpenAiEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapPost("/chat/completions", ChatCompletionsEndpoint.HandleAsync);
        v1.MapPost("/completions", CompletionsEndpoint.HandleAsync);
        v1.MapPost("/embeddings", EmbeddingsEndpoint.HandleAsync);
        v1.MapGet("/models", ModelsEndpoint.ListAsync);
        v1.MapGet("/models/{id}", ModelsEndpoint.GetAsync);
        return app;
    }
}
