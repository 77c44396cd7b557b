namespace RepSec.Core.Security;

/// <summary>
/// A principal's HTTP password, never stored in the clear: a salted slow hash for Basic, and for Digest the
/// per-realm secrets H(user:realm:password) RFC 7616 needs (one per algorithm), valid only in <see cref="Realm"/>.
/// </summary>
public sealed record PasswordCredential(
    string Principal,
    byte[] Salt,
    int Iterations,
    byte[] Hash,
    string Realm,
    byte[] DigestSha256,
    byte[] DigestMd5,
    DateTimeOffset UpdatedAt);
