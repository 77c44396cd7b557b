using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RepSec.Server.Tls;

/// <summary>
/// With no certificate configured, a development CA and a server certificate for localhost are generated
/// under <c>DATA/tls</c>. The CA's private key is never written: nothing can be issued under it later.
/// Clients trust <c>dev-ca.crt</c>.
/// </summary>
internal static class DevelopmentCertificates
{
    public const string CaFile = "dev-ca.crt";
    public const string CertificateFile = "server.crt";
    public const string KeyFile = "server.key";

    /// <summary>Returns the certificate and key paths, generating them when missing or close to expiry.</summary>
    public static (string Certificate, string Key, string Ca, bool Generated) Ensure(string dataDirectory, TimeProvider time)
    {
        var directory = Path.GetFullPath(Path.Combine(dataDirectory, "tls"));
        var certificatePath = Path.Combine(directory, CertificateFile);
        var keyPath = Path.Combine(directory, KeyFile);
        var caPath = Path.Combine(directory, CaFile);
        var now = time.GetUtcNow();
        if (File.Exists(certificatePath) && File.Exists(keyPath) && File.Exists(caPath))
        {
            var existing = new X509Certificate2Collection();
            existing.ImportFromPemFile(certificatePath);
            var expires = existing.Count > 0 ? existing[0].NotAfter : DateTime.MinValue;
            foreach (var certificate in existing)
            {
                certificate.Dispose();
            }

            if (expires > now.AddDays(30).UtcDateTime)
            {
                return (certificatePath, keyPath, caPath, false);
            }
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=RepSec Development CA, O=RepSec", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        var host = Dns.GetHostName();
        if (!string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var server = request.Create(ca, now.AddDays(-1), now.AddYears(1), RandomNumberGenerator.GetBytes(16));

        WritePrivate(keyPath, serverKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, server.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n");
        File.WriteAllText(caPath, ca.ExportCertificatePem() + "\n");
        return (certificatePath, keyPath, caPath, true);
    }

    /// <summary>Key files are created 0600 before any key byte is written.</summary>
    internal static void WritePrivate(string path, string contents)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(contents);
    }
}
