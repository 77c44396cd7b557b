namespace RepSec.Server.Rdap.Authentication;

/// <summary>
/// The parameters of an <c>Authorization: Digest</c> header (RFC 7616 §3.4), unquoted. <see cref="Username"/> is
/// already decoded when the client sent <c>username*</c>; <see cref="Algorithm"/> is MD5 when the client sent none.
/// </summary>
internal sealed record DigestCredentials(
    string Username,
    string Realm,
    string Nonce,
    string Uri,
    string Response,
    DigestAlgorithm Algorithm,
    string Qop,
    string NonceCount,
    string Cnonce,
    string? Opaque);
