namespace RepSec.Server.Dnsbl;

internal static class DnsblServiceCollectionExtensions
{
    /// <summary>The DNSBL's services, when <see cref="DnsblOptions.Port"/> is set.</summary>
    public static void AddDnsbl(this IServiceCollection services, DnsblOptions options)
    {
        if (options.Port is null)
        {
            return;
        }

        services.AddSingleton(options);
        services.AddSingleton<DnsblZone>();
        services.AddSingleton<DnsblServer>();
        services.AddHostedService(sp => sp.GetRequiredService<DnsblServer>());
    }
}
