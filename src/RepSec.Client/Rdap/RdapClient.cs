using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace RepSec.Client.Rdap;

/// <summary>
/// An RDAP client (RFC 7480, 9082, 9083) for repsecd and other RDAP servers: lookups, searches with paging, and
/// the RFC 7481 authentication methods (Basic, Digest, bearer tokens, client certificates).
/// </summary>
public sealed partial class RdapClient : IDisposable
{
    private const string MediaType = "application/rdap+json";

    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly RdapClientOptions _options;

    /// <param name="baseUri">The RDAP base URL, such as <c>https://localhost:8443/rdap/</c>.</param>
    /// <param name="options">TLS trust and credentials.</param>
    public RdapClient(Uri baseUri, RdapClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var text = baseUri.AbsoluteUri.EndsWith('/') ? baseUri.AbsoluteUri : baseUri.AbsoluteUri + "/";
        // Digest needs a challenge before it can answer one; repsecd gives it under auth/ for every query.
        _base = new Uri(options.Digest && text.EndsWith("/rdap/", StringComparison.Ordinal) ? text + "auth/" : text);
        _http = new HttpClient(CreateHandler(_base, options), disposeHandler: true) { Timeout = options.Timeout };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType));
        if (options.BearerToken is { Length: > 0 } token)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (!options.Digest && options.UserName is { } user)
        {
            // Basic is sent with the first request: anonymous reads succeed, so no challenge would ever ask for it.
            var pair = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{options.Password}"));
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", pair);
        }
    }

    public Task<RdapResponse> DomainAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync("domain/" + Uri.EscapeDataString(name), cancellationToken);

    /// <summary>Looks up the most specific network containing an address or prefix (<c>192.0.2.1</c>, <c>2001:db8::/32</c>).</summary>
    public Task<RdapResponse> IpAsync(string addressOrPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addressOrPrefix);
        var slash = addressOrPrefix.IndexOf('/', StringComparison.Ordinal);
        var path = slash < 0 ? Uri.EscapeDataString(addressOrPrefix)
            : Uri.EscapeDataString(addressOrPrefix[..slash]) + "/" + Uri.EscapeDataString(addressOrPrefix[(slash + 1)..]);
        return GetAsync("ip/" + path, cancellationToken);
    }

    public Task<RdapResponse> AutnumAsync(uint number, CancellationToken cancellationToken = default) =>
        GetAsync("autnum/" + number.ToString(CultureInfo.InvariantCulture), cancellationToken);

    public Task<RdapResponse> EntityAsync(string handle, CancellationToken cancellationToken = default) =>
        GetAsync("entity/" + Uri.EscapeDataString(handle), cancellationToken);

    public Task<RdapResponse> HelpAsync(CancellationToken cancellationToken = default) => GetAsync("help", cancellationToken);

    /// <summary>Searches domains by name (a trailing <c>*</c> matches a prefix); <paramref name="cursor"/> continues a search.</summary>
    public Task<RdapResponse> SearchDomainsAsync(string pattern, string? sort = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        GetAsync(SearchPath("domains", "name", pattern, sort, cursor), cancellationToken);

    /// <summary>Searches entities by <c>fn</c> or <c>handle</c>.</summary>
    public Task<RdapResponse> SearchEntitiesAsync(string parameter, string pattern, string? sort = null, string? cursor = null, CancellationToken cancellationToken = default)
    {
        if (parameter is not ("fn" or "handle"))
        {
            throw new ArgumentException("entities are searched by fn or handle", nameof(parameter));
        }

        return GetAsync(SearchPath("entities", parameter, pattern, sort, cursor), cancellationToken);
    }

    /// <summary>Any path under the base URL, such as <c>domain/example.com</c>.</summary>
    public async Task<RdapResponse> GetAsync(string relativePath, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, relativePath));
        if (_options.VerifySignatures)
        {
            request.Headers.TryAddWithoutValidation("Accept-Signature", SignatureRequest);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var raw = Encoding.UTF8.GetString(bytes);
        if (!response.IsSuccessStatusCode)
        {
            throw Error(response, raw);
        }

        bool? verified = _options.VerifySignatures ? await VerifySignatureAsync(response, bytes, cancellationToken) : null;
        try
        {
            return new RdapResponse(raw, JsonDocument.Parse(raw), verified);
        }
        catch (JsonException exception)
        {
            throw new RdapException($"the server's answer is not JSON: {exception.Message}", exception);
        }
    }

    public void Dispose() => _http.Dispose();

    private static string SearchPath(string path, string parameter, string pattern, string? sort, string? cursor) =>
        $"{path}?{parameter}={Uri.EscapeDataString(pattern)}"
        + (sort is null ? "" : "&sort=" + Uri.EscapeDataString(sort))
        + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));

    private static RdapException Error(HttpResponseMessage response, string raw)
    {
        var title = response.ReasonPhrase ?? "";
        var description = "";
        try
        {
            using var document = JsonDocument.Parse(raw);
            if (document.RootElement.TryGetProperty("title", out var t))
            {
                title = t.GetString() ?? title;
            }

            if (document.RootElement.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.Array)
            {
                description = string.Join(" ", d.EnumerateArray().Select(e => e.GetString()));
            }
        }
        catch (JsonException)
        {
            description = raw.Length > 200 ? raw[..200] : raw;
        }

        var retryAfter = response.Headers.RetryAfter?.Delta;
        return new RdapException((int)response.StatusCode, title, description, retryAfter, raw);
    }

    private static SocketsHttpHandler CreateHandler(Uri baseUri, RdapClientOptions options)
    {
        var tls = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (options.Insecure)
        {
            tls.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (options.CaCertificatePath is { } caPath)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caPath);
            if (authorities.Count == 0)
            {
                throw new CryptographicException($"No certificate found in {caPath}");
            }

            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(authorities);
            tls.CertificateChainPolicy = policy;
        }

        if (options.ClientCertificate is { } certificate)
        {
            tls.ClientCertificateContext = SslStreamCertificateContext.Create(certificate, null, offline: true);
        }

        var handler = new SocketsHttpHandler { SslOptions = tls, ConnectTimeout = options.Timeout };
        if (options.Digest && options.UserName is { } user)
        {
            handler.Credentials = new CredentialCache { { baseUri, "Digest", new NetworkCredential(user, options.Password) } };
            handler.PreAuthenticate = true;
        }

        return handler;
    }
}
