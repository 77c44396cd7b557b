using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RepSec.Core.Transparency;
using RepSec.Redis;

namespace RepSec.Server.Hosting;

/// <summary>
/// Liveness and readiness on the HTTPS listener: <c>/health/live</c> answers 200 while the process serves;
/// <c>/health/ready</c> answers 200 only while the store (and Redis, when configured) answer, else 503, so a load
/// balancer stops sending requests to a node that would fail them and resumes when the engines return.
/// </summary>
internal static class Readiness
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    private const string ReadyTag = "ready";

    public static void AddReadiness(this IServiceCollection services, bool redis)
    {
        var checks = services.AddHealthChecks().AddCheck<StoreCheck>("store", tags: [ReadyTag]);
        if (redis)
        {
            checks.AddCheck<RedisCheck>("redis", tags: [ReadyTag]);
        }
    }

    public static void UseReadiness(this IApplicationBuilder app)
    {
        app.UseHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.UseHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
    }

    /// <summary><c>{"status":"ready","checks":{"store":"ok","redis":"unreachable"}}</c>; never an exception's text.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status == HealthStatus.Healthy ? "ready" : "unready");
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteString(name, entry.Status == HealthStatus.Healthy ? "ok" : "unreachable");
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(stream.ToArray()).AsTask();
    }

    /// <summary>The store answers a read (the log's size: one row on every engine).</summary>
    private sealed class StoreCheck(ITransparencyLogStore store) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await store.GetTreeSizeAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy("the store does not answer");
            }
        }
    }

    private sealed class RedisCheck(RedisConnection redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await redis.PingAsync() ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Redis does not answer");
    }
}
