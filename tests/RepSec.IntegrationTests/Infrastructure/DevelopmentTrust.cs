using System.Security.Cryptography.X509Certificates;

namespace RepSec.IntegrationTests.Infrastructure;

/// <summary>Trust in a server's generated development CA and nothing else, as <c>repsec --ca FILE</c> gives it.</summary>
public static class DevelopmentTrust
{
    public static X509ChainPolicy Policy(string caPath)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caPath);
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(authorities);
        return policy;
    }
}
