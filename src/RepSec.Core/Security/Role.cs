namespace RepSec.Core.Security;

/// <summary>What a principal may do (PROTOCOL.md section 6).</summary>
public enum Role
{
    /// <summary>Anonymous: PING, HELLO, VERIFY.</summary>
    None = 0,
    /// <summary>REGISTER; REMOVE and AUDIT its own entities.</summary>
    Registrant = 1,
    /// <summary>AUDIT any entity.</summary>
    Auditor = 2,
    /// <summary>Everything.</summary>
    Admin = 3,
}

public static class Roles
{
    public static string ToWire(this Role role) => role switch
    {
        Role.Registrant => "registrant",
        Role.Auditor => "auditor",
        Role.Admin => "admin",
        _ => "anonymous",
    };

    public static bool TryParse(string? text, out Role role)
    {
        foreach (var candidate in (Role[])[Role.Registrant, Role.Auditor, Role.Admin])
        {
            if (string.Equals(text, candidate.ToWire(), StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        role = Role.None;
        return false;
    }
}
