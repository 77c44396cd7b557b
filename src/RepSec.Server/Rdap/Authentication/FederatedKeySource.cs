using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace RepSec.Server.Rdap.Authentication;

/// <summary>
/// One issuer's signing keys, fetched with IdentityModel's retrievers (discovery, or a bare JWKS) and cached. It is
/// the token handler's <see cref="TokenValidationParameters.ConfigurationManager"/>: when a token's <c>kid</c> is
/// unknown (or its signature fails) the handler calls <see cref="RequestRefresh"/>, fetches again and, if it got new
/// keys, validates once more.
/// </summary>
/// <remarks>
/// IdentityModel 8's <c>ConfigurationManager&lt;T&gt;</c> refreshes in the background and hands that second attempt
/// the stale keys, so the first token signed with a rotated key would be refused; here the refresh is awaited. This
/// class also reads the injected clock, and spaces unscheduled fetches (forced by unknown <c>kid</c>s, or retrying a
/// failure) <see cref="MinimumFetchSpacing"/> apart, so a flood of bogus tokens or an issuer outage cannot turn every
/// request into a fetch.
/// </remarks>
internal sealed class FederatedKeySource : BaseConfigurationManager, IDisposable
{
    public static readonly TimeSpan MinimumFetchSpacing = TimeSpan.FromSeconds(30);

    private readonly IConfigurationRetriever<OpenIdConnectConfiguration> _retriever;
    private readonly HttpDocumentRetriever _documents;
    private readonly string _issuer;
    private readonly string _name;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private volatile Snapshot? _current;
    private volatile bool _refreshRequested;
    private long _lastAttemptTicks;
    private Exception? _lastFailure;

    /// <summary>Keys from <c>JwksUri</c> when set, else from the discovery document.</summary>
    public FederatedKeySource(FederatedIssuerOptions options, HttpClient http, TimeProvider time, ILogger logger)
    {
        var discovery = options.JwksUri is null;
        MetadataAddress = options.JwksUri ?? options.ResolveMetadataAddress();
        AutomaticRefreshInterval = TimeSpan.FromMinutes(options.RefreshMinutes);
        RefreshInterval = MinimumFetchSpacing;
        // A key the issuer withdrew (perhaps because it leaked) must stop working at the next fetch, not linger
        // for an hour as part of a "last known good" configuration.
        UseLastKnownGoodConfiguration = false;
        _retriever = discovery ? new OpenIdConnectConfigurationRetriever() : new FederatedJwksRetriever(options.Issuer);
        _documents = new HttpDocumentRetriever(http) { RequireHttps = options.RequireHttpsMetadata, SendAdditionalHeaderData = false };
        _issuer = options.Issuer;
        _name = options.Name;
        _time = time;
        _logger = logger;
    }

    public override async Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel) => await GetAsync(cancel);

    /// <summary>The current keys, fetching first when none are loaded, they are due, or a refresh was requested.</summary>
    /// <exception cref="InvalidOperationException">No keys could be loaded (the failure was logged).</exception>
    public async Task<OpenIdConnectConfiguration> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = _current;
        if (snapshot is not null && !IsDue(snapshot, _time.GetUtcNow()))
        {
            return snapshot.Configuration;
        }

        await _fetch.WaitAsync(cancellationToken);
        try
        {
            var now = _time.GetUtcNow();
            snapshot = _current;
            if (snapshot is not null && !IsDue(snapshot, now))
            {
                return snapshot.Configuration;
            }

            if (!MayFetch(now))
            {
                return snapshot?.Configuration ?? throw Unavailable();
            }

            Volatile.Write(ref _lastAttemptTicks, now.UtcTicks);
            _refreshRequested = false;
            return await FetchAsync(snapshot, now);
        }
        finally
        {
            _fetch.Release();
        }
    }

    /// <summary>Asks for a fetch before the next use, unless one was attempted less than <see cref="MinimumFetchSpacing"/> ago.</summary>
    public override void RequestRefresh()
    {
        if (MayFetch(_time.GetUtcNow()))
        {
            _refreshRequested = true;
        }
    }

    public void Dispose() => _fetch.Dispose();

    private async Task<OpenIdConnectConfiguration> FetchAsync(Snapshot? previous, DateTimeOffset now)
    {
        try
        {
            // Not the caller's cancellation: this fetch serves every request waiting on it; HttpClient's timeout bounds it.
            var configuration = await _retriever.GetConfigurationAsync(MetadataAddress, _documents, CancellationToken.None);
            if (!string.Equals(configuration.Issuer, _issuer, StringComparison.Ordinal))
            {
                // OpenID Connect Discovery 1.0 section 4.3: metadata for another issuer must not be used.
                throw new InvalidOperationException("the discovery document names a different issuer");
            }

            _current = new Snapshot(configuration, now + AutomaticRefreshInterval);
            _lastFailure = null;
            FederatedLog.KeysLoaded(_logger, _name, MetadataAddress, configuration.SigningKeys.Count);
            return configuration;
        }
        catch (Exception ex)
        {
            _lastFailure = ex;
            FederatedLog.KeyFetchFailed(_logger, ex, _name, MetadataAddress, previous is null
                ? "its tokens are refused until a fetch succeeds"
                : "keeping the keys loaded earlier");
            return previous?.Configuration ?? throw Unavailable();
        }
    }

    private bool IsDue(Snapshot snapshot, DateTimeOffset now) => _refreshRequested || now >= snapshot.StaleAt;

    private bool MayFetch(DateTimeOffset now) => now.UtcTicks - Volatile.Read(ref _lastAttemptTicks) >= MinimumFetchSpacing.Ticks;

    private InvalidOperationException Unavailable() => new($"no signing keys loaded for federated issuer {_name}", _lastFailure);

    private sealed record Snapshot(OpenIdConnectConfiguration Configuration, DateTimeOffset StaleAt);
}
