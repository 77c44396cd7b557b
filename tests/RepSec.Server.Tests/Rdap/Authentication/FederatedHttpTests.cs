using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using RepSec.Server.Rdap.Authentication;
using RepSec.Testing.Federation;

namespace RepSec.Server.Tests.Rdap.Authentication;

/// <summary>The certificate check used when an issuer is configured with its own CA.</summary>
public sealed class FederatedHttpTests : IDisposable
{
    private readonly X509Certificate2 _ca;
    private readonly X509Certificate2 _server;
    private readonly X509Certificate2 _otherCa;
    private readonly X509Certificate2 _otherServer;

    public FederatedHttpTests()
    {
        (_ca, _server) = TestCertificates.Create();
        (_otherCa, _otherServer) = TestCertificates.Create();
    }

    [Fact]
    public void A_certificate_issued_by_the_configured_ca_is_trusted() =>
        Assert.True(FederatedHttp.IsTrusted(_server, null, SslPolicyErrors.RemoteCertificateChainErrors, [_ca]));

    [Fact]
    public void A_certificate_from_another_ca_is_not() =>
        Assert.False(FederatedHttp.IsTrusted(_otherServer, null, SslPolicyErrors.RemoteCertificateChainErrors, [_ca]));

    [Fact]
    public void The_configured_ca_does_not_excuse_a_name_mismatch_or_a_missing_certificate()
    {
        Assert.False(FederatedHttp.IsTrusted(_server, null,
            SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch, [_ca]));
        Assert.False(FederatedHttp.IsTrusted(null, null, SslPolicyErrors.RemoteCertificateNotAvailable, [_ca]));
    }

    [Fact]
    public void What_the_system_store_accepts_stays_accepted() =>
        Assert.True(FederatedHttp.IsTrusted(_otherServer, null, SslPolicyErrors.None, [_ca]));

    public void Dispose()
    {
        _ca.Dispose();
        _server.Dispose();
        _otherCa.Dispose();
        _otherServer.Dispose();
    }
}
