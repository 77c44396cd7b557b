namespace RepSec.Protocol.Entities;

/// <summary>
/// An entity in canonical form. <see cref="Value"/> is what responses show; <see cref="Key"/> is what identity
/// is decided on (they differ only for organizations, which match case-insensitively).
/// </summary>
public readonly record struct CanonicalEntity(EntityType Type, string Value, string Key);
