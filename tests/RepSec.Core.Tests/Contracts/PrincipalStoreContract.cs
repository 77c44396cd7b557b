using RepSec.Core.Security;

namespace RepSec.Core.Tests.Contracts;

/// <summary>What every <see cref="IPrincipalStore"/> must do.</summary>
public abstract class PrincipalStoreContract
{
    protected abstract IPrincipalStore Store { get; }

    [Fact]
    public async Task Tokens_are_found_by_id_listed_without_secrets_and_revoked_once()
    {
        await Store.EnsurePrincipalAsync("alice", Role.Registrant);
        var (_, id, hash) = BearerToken.Create();
        var (_, otherId, otherHash) = BearerToken.Create();
        await Store.StoreTokenAsync(id, "alice", hash, DateTimeOffset.UtcNow);
        await Store.StoreTokenAsync(otherId, "alice", otherHash, DateTimeOffset.UtcNow);

        var found = await Store.FindTokenAsync(id);
        Assert.Equal((new Principal("alice", Role.Registrant), false), (found!.Principal, found.Revoked));
        Assert.Equal(hash, found.SecretHash);
        Assert.Null(await Store.FindTokenAsync("0000000000000000"));

        Assert.True(await Store.RevokeTokenAsync(id, DateTimeOffset.UtcNow));
        Assert.False(await Store.RevokeTokenAsync(id, DateTimeOffset.UtcNow));
        Assert.True((await Store.FindTokenAsync(id))!.Revoked);

        var listed = await Store.ListTokensAsync("alice");
        Assert.Equal(2, listed.Count);
        Assert.Single(listed, t => t.RevokedAt is not null);
        Assert.Empty(await Store.ListTokensAsync("nobody"));
    }

    [Fact]
    public async Task Principals_keep_their_one_role()
    {
        await Store.EnsurePrincipalAsync("audra", Role.Auditor);

        Assert.Equal(Role.Auditor, (await Store.EnsurePrincipalAsync("audra", null)).Role);
        Assert.Equal(Role.Auditor, (await Store.EnsurePrincipalAsync("audra", Role.Auditor)).Role);
        await Assert.ThrowsAsync<PrincipalStoreException>(async () => await Store.EnsurePrincipalAsync("audra", Role.Admin));
        await Assert.ThrowsAsync<PrincipalStoreException>(async () => await Store.EnsurePrincipalAsync("nobody", null));
        await Assert.ThrowsAsync<PrincipalStoreException>(async () => await Store.EnsurePrincipalAsync("anonymous", Role.Admin));
        await Assert.ThrowsAsync<PrincipalStoreException>(async () => await Store.EnsurePrincipalAsync("bad name", Role.Admin));
    }

    [Fact]
    public async Task Certificates_map_to_principals_and_can_be_remapped_and_removed()
    {
        await Store.EnsurePrincipalAsync("robot", Role.Registrant);
        await Store.EnsurePrincipalAsync("root", Role.Admin);
        var fingerprint = new string('a', 64);

        await Store.AddCertificateAsync(fingerprint, "robot", DateTimeOffset.UtcNow);
        Assert.Equal(new Principal("robot", Role.Registrant), await Store.FindByCertificateAsync(fingerprint));

        await Store.AddCertificateAsync(fingerprint, "root", DateTimeOffset.UtcNow);
        Assert.Equal(new Principal("root", Role.Admin), await Store.FindByCertificateAsync(fingerprint));
        Assert.Single(await Store.ListCertificatesAsync());

        Assert.True(await Store.RemoveCertificateAsync(fingerprint));
        Assert.False(await Store.RemoveCertificateAsync(fingerprint));
        Assert.Null(await Store.FindByCertificateAsync(fingerprint));
    }
}
