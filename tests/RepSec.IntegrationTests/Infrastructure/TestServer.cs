using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RepSec.Core.Security;
using RepSec.Server.Hosting;

namespace RepSec.IntegrationTests.Infrastructure;

/// <summary>
/// A real repsecd in this process: real Kestrel, real TLS with a generated development CA, real SQLite in a
/// temporary data directory, bound to 127.0.0.1 at port 0.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(RepSecHost host, string dataDirectory, CapturedLogs logs)
    {
        Host = host;
        DataDirectory = dataDirectory;
        Logs = logs;
    }

    public RepSecHost Host { get; }

    public string DataDirectory { get; }

    public CapturedLogs Logs { get; }

    public int Port => Host.RepSecPort;

    public string CaPath => Host.DevelopmentCaPath;

    public int RdapPort => Host.RdapPort;

    /// <summary>The RDAP base URL, <c>https://127.0.0.1:PORT/rdap/</c>.</summary>
    public Uri RdapBase => new($"https://127.0.0.1:{RdapPort}/rdap/");

    public static async Task<TestServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var data = Directory.CreateTempSubdirectory("repsec-it-").FullName;
        var overrides = new Dictionary<string, string?>
        {
            ["RepSec:DataDirectory"] = data,
            ["RepSec:Listen"] = "127.0.0.1",
            ["RepSec:RepSecPort"] = "0",
            ["RepSec:RdapPort"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        var logs = new CapturedLogs();
        var host = RepSecHost.Create(overrides, logging => logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await host.StartAsync();
        return new TestServer(host, data, logs);
    }

    /// <summary>Creates the principal if needed and issues a token for it, as <c>repsecd token issue</c> does.</summary>
    public async Task<string> IssueTokenAsync(string principal, Role role)
    {
        var store = Host.Services.GetRequiredService<IPrincipalStore>();
        await store.EnsurePrincipalAsync(principal, role);
        var (token, id, hash) = BearerToken.Create();
        await store.StoreTokenAsync(id, principal, hash, DateTimeOffset.UtcNow);
        return token;
    }

    /// <summary>
    /// Sets an RDAP password as <c>repsecd user add</c> does, with fewer PBKDF2 iterations so tests stay quick (the
    /// stored count is what verification uses).
    /// </summary>
    public async Task SetPasswordAsync(string principal, Role role, string password)
    {
        var store = Host.Services.GetRequiredService<IPrincipalStore>();
        await store.EnsurePrincipalAsync(principal, role);
        const int Iterations = 10_000;
        var (salt, hash) = PasswordHasher.Hash(password, Iterations);
        await store.SetPasswordAsync(new PasswordCredential(principal, salt, Iterations, hash, "repsec",
            RepSec.Server.Rdap.Authentication.DigestAuthentication.ComputeSecret(RepSec.Server.Rdap.Authentication.DigestAlgorithm.Sha256, principal, "repsec", password),
            RepSec.Server.Rdap.Authentication.DigestAuthentication.ComputeSecret(RepSec.Server.Rdap.Authentication.DigestAlgorithm.Md5, principal, "repsec", password),
            DateTimeOffset.UtcNow));
    }

    public Task SetContactAsync(string principal, IReadOnlyDictionary<string, string> fields) =>
        Host.Services.GetRequiredService<IPrincipalStore>().SetContactAsync(new Contact(principal, fields, DateTimeOffset.UtcNow)).AsTask();

    /// <summary>An HttpClient for the RDAP base URL trusting the development CA, optionally with a client certificate or Digest credentials.</summary>
    public HttpClient RdapHttp(System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null, System.Net.NetworkCredential? digest = null)
    {
        var policy = DevelopmentTrust.Policy(CaPath);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                CertificateChainPolicy = policy,
                ClientCertificates = certificate is null ? null : [certificate],
            },
        };
        if (digest is not null)
        {
            handler.Credentials = new System.Net.CredentialCache { { RdapBase, "Digest", digest } };
        }

        return new HttpClient(handler) { BaseAddress = RdapBase };
    }

    public Task<WireConnection> ConnectAsync(System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate = null) =>
        WireConnection.OpenAsync(Port, CaPath, clientCertificate);

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
