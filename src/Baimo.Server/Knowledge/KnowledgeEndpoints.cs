namespace Baimo.Server.Knowledge;

/// <summary>The knowledge-base routes under <c>/v1/kb</c>: list, search, and answers with citations.</summary>
public static class KnowledgeEndpoints
{
    public static IEndpointRouteBuilder MapKnowledgeEndpoints(this IEndpointRouteBuilder app)
    {
        var kb = app.MapGroup("/v1/kb");
        kb.MapGet("", KbListEndpoint.HandleAsync);
        kb.MapPost("/{name}/search", KbSearchEndpoint.HandleAsync);
        kb.MapPost("/{name}/ask", KbAskEndpoint.HandleAsync);
        return app;
    }
}
