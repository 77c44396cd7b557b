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
        services.AddSingleton(options);
        services.AddSingleton<DisclosurePolicy>();
        services.AddSingleton<PasswordCredentials>();
        services.AddSingleton(sp => new DigestAuthentication(options.Realm, DigestAuthentication.NewNonceKey(),
            sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(options.DigestNonceSeconds)));
        services.AddSingleton(sp => new FederatedAuthenticator(issuers, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FederatedAuthenticator>>()));
        services.AddSingleton<RdapAuthenticator>();
        services.AddSingleton<RdapRateLimiter>();
        services.AddSingleton<RdapQueries>();
        services.AddSingleton<ReputeEndpoint>();
        services.AddSingleton<AnswerCache>();
        services.AddSingleton(sp => ResponseSigner.Create(options, dataDirectory, sp.GetRequiredService<RdapQueries>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RdapEndpoint>();
        return services;
    }
}
