using RepSec.Core.Security;
using StackExchange.Redis;

namespace RepSec.Redis;

/// <summary>
/// Tells every node that a token was revoked or a certificate unmapped, so each drops it from its authentication
/// cache at once. Without the notice a node still stops accepting it within a second (the cache's lifetime).
/// </summary>
public sealed class RedisRevocations(RedisConnection redis)
{
    private const string TokenPrefix = "token ";
    private const string CertificatePrefix = "certificate ";

    private RedisChannel Channel => RedisChannel.Literal(redis.KeyPrefix + "revocations");

    public Task PublishTokenAsync(string tokenId) => redis.Subscriber.PublishAsync(Channel, TokenPrefix + tokenId);

    public Task PublishCertificateAsync(string fingerprint) => redis.Subscriber.PublishAsync(Channel, CertificatePrefix + fingerprint);

    /// <summary>Applies every notice to <paramref name="authenticator"/>'s cache from now on.</summary>
    public Task SubscribeAsync(IAuthenticator authenticator) =>
        redis.Subscriber.SubscribeAsync(Channel, (_, message) =>
        {
            var text = (string?)message ?? "";
            if (text.StartsWith(TokenPrefix, StringComparison.Ordinal))
            {
                authenticator.ForgetToken(text[TokenPrefix.Length..]);
            }
            else if (text.StartsWith(CertificatePrefix, StringComparison.Ordinal))
            {
                authenticator.ForgetCertificate(text[CertificatePrefix.Length..]);
            }
        });
}
