namespace RepSec.Core.Security;

/// <summary>A stored token: whose it is and the hash of its secret. The secret itself is never stored.</summary>
public sealed record TokenCredential(string Id, Principal Principal, byte[] SecretHash, bool Revoked);

/// <summary>A token as operators see it in listings.</summary>
public sealed record TokenInfo(string Id, string Principal, Role Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A client certificate mapped to a principal, by the SHA-256 fingerprint of its DER encoding.</summary>
public sealed record CertificateInfo(string Fingerprint, string Principal, Role Role, DateTimeOffset AddedAt);

/// <summary>Principals and their credentials.</summary>
public interface IPrincipalStore
{
    ValueTask<TokenCredential?> FindTokenAsync(string tokenId, CancellationToken cancellationToken = default);

    ValueTask<Principal?> FindByCertificateAsync(string fingerprint, CancellationToken cancellationToken = default);

    /// <summary>Creates the principal, or returns it when it exists; a role that differs from the stored one is an error.</summary>
    ValueTask<Principal> EnsurePrincipalAsync(string name, Role? role, CancellationToken cancellationToken = default);

    ValueTask StoreTokenAsync(string tokenId, string principal, byte[] secretHash, DateTimeOffset createdAt, CancellationToken cancellationToken = default);

    /// <summary>Revokes one token; returns false when no unrevoked token has that id.</summary>
    ValueTask<bool> RevokeTokenAsync(string tokenId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<TokenInfo>> ListTokensAsync(string? principal, CancellationToken cancellationToken = default);

    ValueTask AddCertificateAsync(string fingerprint, string principal, DateTimeOffset addedAt, CancellationToken cancellationToken = default);

    ValueTask<bool> RemoveCertificateAsync(string fingerprint, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<CertificateInfo>> ListCertificatesAsync(CancellationToken cancellationToken = default);

    /// <summary>The principal with this name, or null.</summary>
    ValueTask<Principal?> FindPrincipalAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Sets (replaces) the principal's HTTP password credential.</summary>
    ValueTask SetPasswordAsync(PasswordCredential credential, CancellationToken cancellationToken = default);

    ValueTask<PasswordCredential?> FindPasswordAsync(string principal, CancellationToken cancellationToken = default);

    /// <summary>Sets (replaces) the principal's contact data; an empty field set removes it.</summary>
    ValueTask SetContactAsync(Contact contact, CancellationToken cancellationToken = default);

    ValueTask<Contact?> FindContactAsync(string principal, CancellationToken cancellationToken = default);
}

/// <summary>Thrown by administrative store operations for operator mistakes (shown to the operator as is).</summary>
public sealed class PrincipalStoreException(string message) : Exception(message);
