using Microsoft.AspNetCore.Routing;

namespace Baimo.Server.Metrics;

/// <summary>Counts every request by its route pattern (not its raw path, which would grow without bound) and final status.</summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next, ServerMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            metrics.CountRequest(route, context.Response.StatusCode);
        }
    }
}
