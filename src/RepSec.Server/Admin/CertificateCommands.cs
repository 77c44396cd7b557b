using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RepSec.Core.Security;

namespace RepSec.Server.Admin;

/// <summary><c>repsecd cert add|remove|list</c>: map TLS client certificates to principals by SHA-256 fingerprint.</summary>
internal static class CertificateCommands
{
    public static Command Build()
    {
        var cert = new Command("cert", "Map TLS client certificates to principals");
        cert.Add(Add());
        cert.Add(Remove());
        cert.Add(List());
        return cert;
    }

    private static Command Add()
    {
        var flags = new StoreFlags();
        var principal = new Option<string>("--principal") { Description = "Principal name (created if needed)", Required = true };
        var role = AdminContext.RoleOption();
        var file = new Option<string>("--cert") { Description = "The client's certificate (PEM or DER)", Required = true };
        var command = new Command("add", "Authenticate connections presenting this certificate as the principal; prints the fingerprint")
        {
            principal, role, file,
        };
        flags.AddTo(command);
        command.SetAction(parse => AdminContext.RunAsync(async () =>
        {
            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadCertificateFromFile(parse.GetValue(file)!);
            }
            catch (Exception exception) when (exception is CryptographicException or IOException)
            {
                throw new PrincipalStoreException($"cannot read certificate: {exception.Message}");
            }

            using (certificate)
            {
                var store = flags.OpenStore(parse);
                var owner = await store.EnsurePrincipalAsync(parse.GetValue(principal)!, AdminContext.ParseRole(parse.GetValue(role)));
                var fingerprint = Authenticator.Fingerprint(certificate);
                await store.AddCertificateAsync(fingerprint, owner.Name, DateTimeOffset.UtcNow);
                Console.Out.WriteLine(fingerprint);
                await Console.Error.WriteLineAsync($"certificate {certificate.Subject} now authenticates {owner.Name} ({owner.Role.ToWire()})");
            }
        }));
        return command;
    }

    private static Command Remove()
    {
        var flags = new StoreFlags();
        var fingerprint = new Option<string>("--fingerprint") { Description = "SHA-256 fingerprint, as cert list shows", Required = true };
        var command = new Command("remove", "Stop authenticating a certificate") { fingerprint };
        flags.AddTo(command);
        command.SetAction(parse => AdminContext.RunAsync(async () =>
        {
            var store = flags.OpenStore(parse);
            var removed = parse.GetValue(fingerprint)!.ToLowerInvariant();
            if (!await store.RemoveCertificateAsync(removed))
            {
                throw new PrincipalStoreException("no certificate has that fingerprint");
            }

            await AdminContext.AnnounceRevocationAsync(flags.ServerOptions(parse), r => r.PublishCertificateAsync(removed));
        }));
        return command;
    }

    private static Command List()
    {
        var flags = new StoreFlags();
        var command = new Command("list", "List mapped certificates");
        flags.AddTo(command);
        command.SetAction(parse => AdminContext.RunAsync(async () =>
        {
            var store = flags.OpenStore(parse);
            foreach (var c in await store.ListCertificatesAsync())
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Fingerprint}  {c.Principal,-20}  {c.Role.ToWire(),-10}  {c.AddedAt:yyyy-MM-dd HH:mm:ss}Z"));
            }
        }));
        return command;
    }
}
