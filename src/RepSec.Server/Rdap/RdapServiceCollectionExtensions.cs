using Microsoft.Extensions.DependencyInjection.Extensions;
using RepSec.Server.Rdap.Authentication;
using RepSec.Server.Repute;

namespace RepSec.Server.Rdap;

internal static class RdapServiceCollectionExtensions
{
    /// <summary>
    /// Registers the RDAP endpoint and its parts, RFC 7072 reputation queries among them; RepSec's stores,
    /// authenticator and limiter are shared.
    /// </summary>
    public static IServiceCollection AddRdap(this IServiceCollection services, RdapOptions options, IReadOnlyList<FederatedIssuerOptions> issuers, string dataDirectory)
    {
        // TryAdd, as AddRepSecCore does: a part registered before this call replaces the default.
        services.TryAddSingleton(options);
        services.TryAddSingleton<DisclosurePolicy>();
        services.TryAddSingleton<PasswordCredentials>();
        services.TryAddSingleton(sp => new DigestAuthentication(options.Realm, DigestAuthentication.NewNonceKey(),
            sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(options.DigestNonceSeconds)));
        services.TryAddSingleton(sp => new FederatedAuthenticator(issuers, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FederatedAuthenticator>>()));
        services.TryAddSingleton<RdapAuthenticator>();
        services.TryAddSingleton<RdapRateLimiter>();
        services.TryAddSingleton<RdapQueries>();
        services.TryAddSingleton<ReputeEndpoint>();
        services.TryAddSingleton<Transparency.LogEndpoint>();
        services.TryAddSingleton(sp => sp.GetRequiredService<ServerOptions>().Blocklist);
        services.TryAddSingleton<Blocklist.BlocklistEndpoint>();
        services.TryAddSingleton(sp => sp.GetRequiredService<ServerOptions>().Decisions);
        services.TryAddSingleton<Decisions.DecisionStreams>();
        services.TryAddSingleton<Decisions.DecisionsEndpoint>();
        services.TryAddSingleton<WebConsole.OperatorStats>();
        services.TryAddSingleton<WebConsole.OperatorEndpoint>();
        services.TryAddSingleton<AnswerCache>();
        services.TryAddSingleton(sp => ResponseSigner.Create(options, dataDirectory, sp.GetRequiredService<RdapQueries>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<RdapEndpoint>();
        return services;
    }
}
