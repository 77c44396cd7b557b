using RepSec.Core.Security;

namespace RepSec.Testing.Contracts;

/// <summary>What every <see cref="IPrincipalStore"/> must do.</summary>
public abstract class PrincipalStoreContract
{
    protected abstract IPrincipalStore Store { get; }

    [SkippableFact]
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

    [SkippableFact]
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

    [SkippableFact]
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

    [SkippableFact]
    public async Task Passwords_are_stored_as_given_and_replaced()
    {
        await Store.EnsurePrincipalAsync("pat", Role.Registrant);
        Assert.Null(await Store.FindPasswordAsync("pat"));
        var (salt, hash) = PasswordHasher.Hash("first-password", 1_000);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await Store.SetPasswordAsync(new PasswordCredential("pat", salt, 1_000, hash, "repsec", [1, 2], [3, 4], at));

        var stored = (await Store.FindPasswordAsync("pat"))!;
        Assert.Equal((1_000, "repsec", at), (stored.Iterations, stored.Realm, stored.UpdatedAt));
        Assert.Equal(salt, stored.Salt);
        Assert.Equal(hash, stored.Hash);
        Assert.Equal([1, 2], stored.DigestSha256);
        Assert.Equal([3, 4], stored.DigestMd5);
        Assert.True(PasswordHasher.Verify("first-password", stored.Salt, stored.Iterations, stored.Hash));
        Assert.False(PasswordHasher.Verify("other-password", stored.Salt, stored.Iterations, stored.Hash));

        var (salt2, hash2) = PasswordHasher.Hash("second-password", 1_000);
        await Store.SetPasswordAsync(stored with { Salt = salt2, Hash = hash2 });
        Assert.Equal(hash2, (await Store.FindPasswordAsync("pat"))!.Hash);
        Assert.Equal(new Principal("pat", Role.Registrant), await Store.FindPrincipalAsync("pat"));
        Assert.Null(await Store.FindPrincipalAsync("nobody"));
    }

    [SkippableFact]
    public async Task Contacts_are_replaced_whole_and_removed_when_empty()
    {
        await Store.EnsurePrincipalAsync("cora", Role.Registrant);
        await Store.SetContactAsync(new Contact("cora", new Dictionary<string, string> { ["fn"] = "Cora", ["email"] = "cora@example.net" }, DateTimeOffset.UtcNow));
        Assert.Equal("cora@example.net", (await Store.FindContactAsync("cora"))![ContactFields.Email]);

        await Store.SetContactAsync(new Contact("cora", new Dictionary<string, string> { ["fn"] = "Cora Q." }, DateTimeOffset.UtcNow));
        var replaced = (await Store.FindContactAsync("cora"))!;
        Assert.Equal("Cora Q.", replaced[ContactFields.Name]);
        Assert.Null(replaced[ContactFields.Email]);

        await Store.SetContactAsync(new Contact("cora", new Dictionary<string, string>(), DateTimeOffset.UtcNow));
        Assert.Null(await Store.FindContactAsync("cora"));
    }
}
