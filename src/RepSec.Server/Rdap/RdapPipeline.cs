using RepSec.Server.Hosting;

namespace RepSec.Server.Rdap;

/// <summary>
/// The middleware every RDAP request passes, in order: the HTTP/2 target refusals, HSTS (when configured), the health checks, then
/// <see cref="RdapEndpoint"/>. One definition for both paths a request can take: HTTP/2 through Kestrel and
/// HTTP/1.1 through <see cref="Http.Http1Connection"/>.
/// </summary>
internal static class RdapPipeline
{
    public static void Configure(IApplicationBuilder app)
    {
        // An HTTP/2 request whose target the HTTP/1.1 loop refuses before the pipeline gets the same answer here.
        app.Use(next => context => Http.Http2TargetGuard.TryRefuse(context, out var answered) ? answered : next(context));
        if (app.ApplicationServices.GetRequiredService<RdapOptions>().HstsMaxAgeSeconds > 0)
        {
            app.UseHsts();
        }

        app.UseReadiness();
        // The web console's files; a lookup, and no state machine, on the way to every RDAP request.
        app.Use(next => context => WebConsole.ConsoleEndpoint.Serves(context) ? WebConsole.ConsoleEndpoint.ServeAsync(context) : next(context));
        var endpoint = app.ApplicationServices.GetRequiredService<RdapEndpoint>();
        app.Run(endpoint.HandleAsync);
    }
}
