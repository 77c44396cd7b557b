namespace RepSec.Server.Rdap.Authentication;

/// <summary>
/// The RFC 7616 algorithms the server accepts. A <c>-sess</c> variant hashes the same stored secret as its base
/// algorithm (see <see cref="DigestAuthentication.SecretAlgorithm"/>), so only two secrets are kept per user.
/// </summary>
internal enum DigestAlgorithm
{
    Md5,
    Md5Session,
    Sha256,
    Sha256Session,
}
