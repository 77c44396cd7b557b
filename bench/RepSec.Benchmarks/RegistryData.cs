using Microsoft.Extensions.DependencyInjection;
using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Benchmarks;

/// <summary>Registers bench0..bench{N-1}.example (owner "bench") in a data directory (<see cref="DataFill"/>).</summary>
internal static class RegistryData
{
    public static Task BuildAsync(string directory, int count) =>
        DataFill.RunAsync(directory, count, "registered", async (services, i, ct) =>
        {
            var name = $"bench{i}.example";
            var outcome = await services.GetRequiredService<IRegistryStore>()
                .RegisterAsync(Registration.Create(EntityType.Domain, name, name, "bench", null, DateTimeOffset.UtcNow), ct);
            if (outcome.Status is not (WriteStatus.Done or WriteStatus.AlreadyRegistered))
            {
                throw new InvalidOperationException($"{name}: {outcome.Status}");
            }
        });
}
