using Baimo.Hosting.Serving;
using Baimo.Server.Http;
using Baimo.Server.Metrics;

namespace Baimo.Server.Health;

/// <summary><c>GET /health</c> (counters only: never waits behind the queue, never needs the key) and <c>GET /metrics</c>.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", (HttpContext context, ModelRouter models) => JsonOut.WriteAsync(context, 200, w =>
        {
            if (models.Single is not { } host)
            {
                w.WriteStartObject();
                w.WriteString("status", "ok");
                w.WriteNumber("models_loaded", models.Loaded().Count);
                w.WriteEndObject();
                return;
            }
            var engine = host.Engine;
            w.WriteStartObject();
            w.WriteString("status", "ok");
            w.WriteString("model", host.ModelId);
            w.WriteNumber("slots", engine.Options.Slots);
            w.WriteNumber("busy_slots", engine.BusySlots);
            w.WriteNumber("queue_depth", engine.QueueDepth);
            w.WriteNumber("queue_capacity", engine.Options.MaxQueue);
            w.WriteEndObject();
        }));
        app.MapGet("/metrics", (ServerMetrics metrics) =>
            Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        return app;
    }
}
