namespace RepSec.Core.Replay;

public enum NonceOutcome
{
    /// <summary>First use; the nonce is now remembered.</summary>
    Fresh,
    /// <summary>Seen before within its lifetime.</summary>
    Replayed,
    /// <summary>The store is at capacity with live nonces; the request must be refused rather than remembered partially.</summary>
    Full,
}

/// <summary>
/// Remembers used nonces per scope (a principal, or an anonymous client address) until they expire; the caller
/// sets the expiry beyond the replay window. Nodes of a cluster share one.
/// </summary>
public interface INonceStore
{
    ValueTask<NonceOutcome> TryUseAsync(string scope, string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);
}
