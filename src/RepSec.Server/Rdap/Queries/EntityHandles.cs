using RepSec.Protocol.Entities;

namespace RepSec.Server.Rdap.Queries;

/// <summary>
/// RDAP entity handles. User ids, organizations and principals are separate namespaces, so a handle names its
/// kind: <c>userid:alice@example.com</c>, <c>organization:acme corp</c>, <c>principal:bob</c>.
/// </summary>
internal static class EntityHandles
{
    public const string UserId = "userid";
    public const string Organization = "organization";
    public const string Principal = "principal";

    public static string For(EntityType type, string key) => $"{(type == EntityType.UserId ? UserId : Organization)}:{key}";

    public static string ForPrincipal(string name) => $"{Principal}:{name}";

    public static bool TryParse(string handle, out string kind, out string name)
    {
        var colon = handle.IndexOf(':', StringComparison.Ordinal);
        kind = colon < 0 ? "" : handle[..colon];
        name = colon < 0 ? "" : handle[(colon + 1)..];
        return kind is UserId or Organization or Principal && name.Length > 0;
    }
}
