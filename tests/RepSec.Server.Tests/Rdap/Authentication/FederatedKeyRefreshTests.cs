using RepSec.Core.Security;
using RepSec.Server.Rdap.Authentication;
using RepSec.Server.Tests.Infrastructure;
using RepSec.Testing.Federation;

namespace RepSec.Server.Tests.Rdap.Authentication;

/// <summary>Key caching, rotation and the limits on refetching, counted at the issuer; time moves only by hand.</summary>
public sealed class FederatedKeyRefreshTests : IAsyncLifetime
{
    private static readonly TimeSpan Spacing = FederatedKeySource.MinimumFetchSpacing;

    private FederatedHarness _h = null!;

    public async Task InitializeAsync() => _h = await FederatedHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Keys_are_fetched_once_and_reused()
    {
        var authenticator = _h.Create();

        for (var i = 0; i < 5; i++)
        {
            Assert.NotNull((await authenticator.AuthenticateAsync(_h.Token(i % 2 == 0 ? _h.Rsa : _h.Ec), CancellationToken.None)).Principal);
        }

        Assert.Equal((1, 1), (_h.Idp.DiscoveryRequests, _h.Idp.JwksRequests));
    }

    [Fact]
    public async Task A_rotated_key_is_accepted_on_first_sight_and_the_withdrawn_one_stops_working()
    {
        var authenticator = _h.Create();
        var before = _h.Token(_h.Rsa);
        Assert.NotNull((await authenticator.AuthenticateAsync(before, CancellationToken.None)).Principal);

        var next = _h.Idp.NewRsaKey("rsa-2");
        _h.Idp.Publish(next);
        _h.Idp.Withdraw(_h.Rsa);
        _h.Time.Advance(Spacing);

        // The unknown kid makes the handler ask for a refresh, which is awaited: this very token passes.
        var rotated = await authenticator.AuthenticateAsync(_h.Token(next), CancellationToken.None);
        Assert.Equal(new Principal("corp:alice", Role.Registrant), rotated.Principal);
        Assert.Equal(2, _h.Idp.JwksRequests);

        // No "last known good" keys: the withdrawn key is gone with the fetch that dropped it.
        var withdrawn = await authenticator.AuthenticateAsync(_h.Token(_h.Rsa), CancellationToken.None);
        Assert.Equal("unknown key", withdrawn.Error);
        Assert.Equal(2, _h.Idp.JwksRequests);
    }

    [Fact]
    public async Task A_flood_of_unknown_kids_fetches_at_most_once_per_spacing()
    {
        var authenticator = _h.Create();
        Assert.NotNull((await authenticator.AuthenticateAsync(_h.Token(_h.Rsa), CancellationToken.None)).Principal);
        var bogus = Enumerable.Range(0, 20).Select(i => TestSigningKey.EcdsaP256($"bogus-{i}")).ToList();
        try
        {
            foreach (var key in bogus)
            {
                Assert.Equal("unknown key", (await authenticator.AuthenticateAsync(_h.Token(key), CancellationToken.None)).Error);
            }

            Assert.Equal(1, _h.Idp.JwksRequests);

            // A genuinely new key published now waits for the spacing too.
            var next = _h.Idp.NewEcKey("ec-2");
            _h.Idp.Publish(next);
            Assert.Equal("unknown key", (await authenticator.AuthenticateAsync(_h.Token(next), CancellationToken.None)).Error);
            Assert.Equal(1, _h.Idp.JwksRequests);

            _h.Time.Advance(Spacing);
            foreach (var key in bogus)
            {
                await authenticator.AuthenticateAsync(_h.Token(key), CancellationToken.None);
            }

            Assert.Equal(2, _h.Idp.JwksRequests);
            Assert.NotNull((await authenticator.AuthenticateAsync(_h.Token(next), CancellationToken.None)).Principal);
            Assert.Equal(2, _h.Idp.JwksRequests);
        }
        finally
        {
            bogus.ForEach(key => key.Dispose());
        }
    }

    [Fact]
    public async Task Keys_are_refetched_after_RefreshMinutes_without_any_unknown_kid()
    {
        var authenticator = _h.Create(o => o.RefreshMinutes = 5);
        Assert.NotNull((await authenticator.AuthenticateAsync(_h.Token(_h.Rsa), CancellationToken.None)).Principal);

        _h.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.NotNull((await authenticator.AuthenticateAsync(_h.Token(_h.Rsa), CancellationToken.None)).Principal);
        Assert.Equal((1, 1), (_h.Idp.DiscoveryRequests, _h.Idp.JwksRequests));

        _h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull((await authenticator.AuthenticateAsync(_h.Token(_h.Rsa), CancellationToken.None)).Principal);
        Assert.Equal((2, 2), (_h.Idp.DiscoveryRequests, _h.Idp.JwksRequests));
    }

    [Fact]
    public async Task A_JwksUri_issuer_takes_keys_straight_from_the_key_set_without_discovery()
    {
        var authenticator = _h.Create(o => o.JwksUri = _h.Idp.JwksUri);

        var rsa = await authenticator.AuthenticateAsync(_h.Token(_h.Rsa), CancellationToken.None);
        var ec = await authenticator.AuthenticateAsync(_h.Token(_h.Ec), CancellationToken.None);
        var foreign = await authenticator.AuthenticateAsync(_h.Token(_h.Rsa, d => d.Issuer = "https://idp.elsewhere.example"), CancellationToken.None);

        Assert.Equal(new Principal("corp:alice", Role.Registrant), rsa.Principal);
        Assert.NotNull(ec.Principal);
        Assert.Equal("unknown issuer", foreign.Error);
        Assert.Equal((0, 1), (_h.Idp.DiscoveryRequests, _h.Idp.JwksRequests));
    }

    [Fact]
    public async Task Concurrent_first_requests_share_one_fetch()
    {
        var authenticator = _h.Create();
        var tokens = Enumerable.Range(0, 16).Select(_ => _h.Token(_h.Rsa)).ToList();

        var results = await Task.WhenAll(tokens.Select(token => authenticator.AuthenticateAsync(token, CancellationToken.None).AsTask()));

        Assert.All(results, result => Assert.NotNull(result.Principal));
        Assert.Equal((1, 1), (_h.Idp.DiscoveryRequests, _h.Idp.JwksRequests));
    }
}
