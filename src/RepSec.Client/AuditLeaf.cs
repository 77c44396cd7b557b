namespace RepSec.Client;

/// <summary>
/// The keyed commitments a log leaf holds instead of the entry's subject, actor and record; see
/// <see cref="RepSec.Protocol.Transparency.LogCommitment"/>.
/// </summary>
/// <param name="Subject">HMAC-SHA-256 of <c>type</c>, a line feed and the entity's canonical key.</param>
/// <param name="Actor">HMAC-SHA-256 of the principal that acted.</param>
/// <param name="Record">HMAC-SHA-256 of the record digest for <c>register</c>; <see langword="null"/> otherwise.</param>
public sealed record AuditLeaf(byte[] Subject, byte[] Actor, byte[]? Record);

/// <summary>The keys that open an entry's commitments to a caller allowed to see their values.</summary>
/// <param name="Subject">The key of the subject commitment.</param>
/// <param name="Actor">The key of the actor commitment; present only when the entry shows its actor.</param>
public sealed record AuditOpening(byte[] Subject, byte[]? Actor);
