using System.Net;
using Microsoft.Extensions.Logging;
using RepSec.Server.Tests.Infrastructure;

namespace RepSec.Server.Tests.Rdap.Authentication;

/// <summary>How metadata and keys are fetched: HTTPS, whose certificates are trusted, and what happens when it fails.</summary>
public sealed class FederatedMetadataTests : IAsyncLifetime
{
    private FederatedHarness _h = null!;

    public async Task InitializeAsync() => _h = await FederatedHarness.StartAsync(plainHttp: true);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Metadata_over_plain_http_is_refused_when_https_is_required()
    {
        var plainIssuer = _h.Idp.PlainIssuer!;
        var token = _h.Token(_h.Rsa, d => d.Issuer = plainIssuer);
        var strict = _h.Create(o => o.Issuer = plainIssuer);
        var relaxed = _h.Create(o =>
        {
            o.Issuer = plainIssuer;
            o.RequireHttpsMetadata = false;
        });

        var refused = await strict.AuthenticateAsync(token, CancellationToken.None);
        Assert.Equal("metadata", refused.Error);
        Assert.Equal(0, _h.Idp.DiscoveryRequests);
        Assert.Contains(_h.Logs.Entries, entry => entry.EventId == 401 && entry.Level == LogLevel.Warning);

        // The same issuer is fine once plain HTTP is allowed, so it was the scheme that was refused.
        Assert.NotNull((await relaxed.AuthenticateAsync(token, CancellationToken.None)).Principal);
        Assert.Equal(1, _h.Idp.DiscoveryRequests);
    }

    [Fact]
    public async Task A_server_certificate_from_an_untrusted_ca_fails_the_fetch()
    {
        var untrusting = _h.Create(o => o.CaCertificate = null);
        var token = _h.Token(_h.Rsa);

        Assert.Equal("metadata", (await untrusting.AuthenticateAsync(token, CancellationToken.None)).Error);
        Assert.Equal("metadata", (await untrusting.AuthenticateAsync(token, CancellationToken.None)).Error);

        // The TLS handshake failed, so no request got through; the second attempt came too soon to be made at all.
        Assert.Equal(0, _h.Idp.DiscoveryRequests);
        var failure = Assert.Single(_h.Logs.Entries, entry => entry.EventId == 401);
        Assert.Equal(LogLevel.Warning, failure.Level);
        Assert.Contains("corp", failure.Text, StringComparison.Ordinal);

        // Trusting the CA is the only difference.
        Assert.NotNull((await _h.Create().AuthenticateAsync(token, CancellationToken.None)).Principal);
    }

    [Fact]
    public async Task A_ca_that_did_not_issue_the_server_certificate_does_not_help()
    {
        var stranger = await _h.StartAnotherIssuerAsync();
        var authenticator = _h.Create(o => o.CaCertificate = stranger.CaPath);

        Assert.Equal("metadata", (await authenticator.AuthenticateAsync(_h.Token(_h.Rsa), CancellationToken.None)).Error);
        Assert.Equal(0, _h.Idp.DiscoveryRequests);
    }

    [Fact]
    public async Task Metadata_naming_another_issuer_is_not_used()
    {
        _h.Idp.AdvertisedIssuer = "https://idp.elsewhere.example/idp";
        var authenticator = _h.Create();

        Assert.Equal("metadata", (await authenticator.AuthenticateAsync(_h.Token(_h.Rsa), CancellationToken.None)).Error);
        Assert.Equal(1, _h.Idp.DiscoveryRequests);
        Assert.Contains("different issuer", Assert.Single(_h.Logs.Entries, entry => entry.EventId == 401).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_fetch_is_retried_only_after_the_spacing()
    {
        _h.Idp.FailDiscoveryWith = HttpStatusCode.InternalServerError;
        var authenticator = _h.Create();
        var token = _h.Token(_h.Rsa);

        Assert.Equal("metadata", (await authenticator.AuthenticateAsync(token, CancellationToken.None)).Error);
        Assert.Equal("metadata", (await authenticator.AuthenticateAsync(token, CancellationToken.None)).Error);
        Assert.Equal(1, _h.Idp.DiscoveryRequests);

        _h.Idp.FailDiscoveryWith = null;
        Assert.Equal("metadata", (await authenticator.AuthenticateAsync(token, CancellationToken.None)).Error);
        Assert.Equal(1, _h.Idp.DiscoveryRequests);

        _h.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.NotNull((await authenticator.AuthenticateAsync(token, CancellationToken.None)).Principal);
        Assert.Equal(2, _h.Idp.DiscoveryRequests);
    }

    [Fact]
    public async Task When_a_scheduled_refresh_fails_the_keys_already_loaded_are_kept()
    {
        var authenticator = _h.Create(o => o.RefreshMinutes = 5);
        Assert.NotNull((await authenticator.AuthenticateAsync(_h.Token(_h.Rsa), CancellationToken.None)).Principal);

        _h.Idp.FailDiscoveryWith = HttpStatusCode.InternalServerError;
        _h.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.NotNull((await authenticator.AuthenticateAsync(_h.Token(_h.Rsa), CancellationToken.None)).Principal);
        Assert.Equal(2, _h.Idp.DiscoveryRequests);
        Assert.Contains("keeping the keys loaded earlier", Assert.Single(_h.Logs.Entries, entry => entry.EventId == 401).Text, StringComparison.Ordinal);
    }
}
