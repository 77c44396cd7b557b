using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RepSec.Core.Commands;
using RepSec.Core.Dispatch;
using RepSec.Core.Limits;
using RepSec.Core.Replay;
using RepSec.Core.Reputation;
using RepSec.Core.Registry;
using RepSec.Core.Security;
using RepSec.Core.Transparency;

namespace RepSec.Core;

public static class RepSecCoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the command set, the dispatcher and the default extension points (in-memory nonce store and
    /// rate buckets, system clock). A store must be registered separately; replace any default by registering it first.
    /// </summary>
    public static IServiceCollection AddRepSecCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RepSecMetrics>();
        services.TryAddSingleton<RegistryVersion>();
        services.TryAddSingleton<INonceStore>(sp =>
            new MemoryNonceStore(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<RepSecOptions>>().Value.NonceCapacity));
        services.TryAddSingleton<IAuthenticator, Authenticator>();
        services.TryAddSingleton<IRateBuckets, MemoryRateBuckets>();
        services.TryAddSingleton<RequestLimiter>();
        services.TryAddSingleton<CommandTable>();
        services.TryAddSingleton<RequestDispatcher>();

        // The minimum command set, in the order HELLO lists it.
        services.AddSingleton<RepSecCommand, PingCommand>();
        services.AddSingleton<RepSecCommand, HelloCommand>();
        services.AddSingleton<RepSecCommand, RegisterCommand>();
        services.AddSingleton<RepSecCommand, VerifyCommand>();
        services.AddSingleton<RepSecCommand, RemoveCommand>();
        services.AddSingleton<RepSecCommand, AuditCommand>();

        // The transparency log: needs an ITransparencyLogStore and a LogSigningKey from the host.
        services.TryAddSingleton<TransparencyLog>();
        services.AddSingleton<IRepSecExtension, TransparencyExtension>();

        // Reputation exchange: needs an IReputationStore from the host; RepSec:Reputation:Enabled turns it off.
        services.TryAddSingleton(sp => new ReputationAssertions(sp.GetRequiredService<IOptions<RepSecOptions>>().Value.Reputation));
        services.TryAddSingleton<ReputationService>();
        services.TryAddSingleton<ReputationTable>();
        services.TryAddSingleton<ReputationListing>();
        services.TryAddSingleton<ReportCommand>();
        services.TryAddSingleton<WithdrawCommand>();
        services.TryAddSingleton<ReputationCommand>();
        services.TryAddSingleton<ChangesCommand>();
        services.TryAddSingleton<AllowlistCommand>();
        services.TryAddSingleton<TrustCommand>();
        services.AddSingleton<IRepSecExtension, ReputationExtension>();
        return services;
    }
}
