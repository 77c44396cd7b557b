using Microsoft.Extensions.DependencyInjection;
using RepSec.Core;
using RepSec.Core.Security;
using RepSec.Server.Rdap;
using RepSec.Server.Rdap.Authentication;

namespace RepSec.Server.Tests.Hosting;

/// <summary>What is registered before the defaults replaces them: the RDAP parts, and the authenticator.</summary>
public sealed class ExtensionPointTests
{
    [Fact]
    public void An_authenticator_registered_before_the_core_replaces_the_default()
    {
        var services = new ServiceCollection();
        var mine = new NobodyAuthenticator();
        services.AddSingleton<IAuthenticator>(mine);

        services.AddRepSecCore();

        Assert.Same(mine, Assert.Single(services, d => d.ServiceType == typeof(IAuthenticator)).ImplementationInstance);
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(Authenticator));
    }

    [Fact]
    public void Without_one_the_core_registers_its_authenticator_as_the_interface()
    {
        var services = new ServiceCollection().AddRepSecCore();

        Assert.Equal(typeof(Authenticator), Assert.Single(services, d => d.ServiceType == typeof(IAuthenticator)).ImplementationType);
    }

    [Fact]
    public void Every_rdap_part_registered_before_AddRdap_is_kept()
    {
        var types = new ServiceCollection().AddRdap(new RdapOptions(), [], Path.GetTempPath()).Select(d => d.ServiceType).Distinct().ToList();
        Assert.Contains(typeof(DigestAuthentication), types);

        IServiceCollection services = new ServiceCollection();
        var mine = types.ToDictionary(t => t, t => ServiceDescriptor.Singleton(t, _ => throw new InvalidOperationException("a sentinel")));
        foreach (var descriptor in mine.Values)
        {
            services.Add(descriptor);
        }

        services.AddRdap(new RdapOptions(), [], Path.GetTempPath());

        foreach (var type in types)
        {
            Assert.Same(mine[type], Assert.Single(services, d => d.ServiceType == type));
        }
    }

    private sealed class NobodyAuthenticator : IAuthenticator
    {
        public ValueTask<Principal?> AuthenticateTokenAsync(string token, CancellationToken cancellationToken) => ValueTask.FromResult<Principal?>(null);

        public ValueTask<Principal?> AuthenticateCertificateAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, CancellationToken cancellationToken) =>
            ValueTask.FromResult<Principal?>(null);

        public void ForgetToken(string tokenId)
        {
        }

        public void ForgetCertificate(string fingerprint)
        {
        }
    }
}
