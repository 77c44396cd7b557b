using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Wire;

/// <summary>Mutual TLS: a certificate mapped with <c>repsecd cert add</c> authenticates every command on its connection.</summary>
public sealed class ClientCertificateTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static X509Certificate2 NewClientCertificate(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    [Fact]
    public async Task A_mapped_certificate_authenticates_and_an_unmapped_one_is_anonymous()
    {
        using var mapped = NewClientCertificate("ops-robot");
        using var unmapped = NewClientCertificate("stranger");
        var certFile = Path.Combine(_server.DataDirectory, "robot.pem");
        await File.WriteAllTextAsync(certFile, mapped.ExportCertificatePem());

        var exit = await RepSec.Server.Program.BuildCommand()
            .Parse(["cert", "add", "--data", _server.DataDirectory, "--principal", "robot", "--role", "registrant", "--cert", certFile])
            .InvokeAsync();
        Assert.Equal(0, exit);

        await using (var wire = await _server.ConnectAsync(mapped))
        {
            var registered = await wire.RequestAsync(Requests.Register("mtls.example", "domain", token: null));
            var audit = await wire.RequestAsync(Requests.Audit("mtls.example", token: null));
            Assert.Equal(200, registered.Status());
            Assert.Equal("robot", audit.GetProperty("entries")[0].Str("actor"));
        }

        await using (var wire = await _server.ConnectAsync(unmapped))
        {
            var registered = await wire.RequestAsync(Requests.Register("stranger.example", "domain", token: null));
            Assert.Equal((401, "auth_required"), (registered.Status(), registered.Error()));
            Assert.Equal(200, (await wire.RequestAsync(Requests.Verify("mtls.example"))).Status());
        }
    }
}
