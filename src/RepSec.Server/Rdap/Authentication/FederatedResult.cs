using RepSec.Core.Security;

namespace RepSec.Server.Rdap.Authentication;

/// <summary>
/// Outcome of checking a federated bearer token: a principal, or a short reason safe for logs and operators
/// (never the token or claim values from it).
/// </summary>
internal readonly record struct FederatedResult(Principal? Principal, string? Error)
{
    public static FederatedResult Accepted(Principal principal) => new(principal, null);

    public static FederatedResult Rejected(string error) => new(null, error);
}
