using RepSec.Core.Security;

namespace RepSec.Core.Commands;

/// <summary>Who may run a command, and whether it writes (writes must carry a nonce and a timestamp).</summary>
public sealed record CommandPolicy(bool Writes, params Role[] Roles)
{
    public bool AllowsAnonymous => Roles.Contains(Role.None);

    /// <summary>Admins may run everything; others need a listed role.</summary>
    public bool Permits(Role role) => role == Role.Admin || Roles.Contains(role);
}

/// <summary>The access table of the minimum command set (PROTOCOL.md sections 4 to 6).</summary>
public static class CommandPolicies
{
    //                                                    writes  who may run it (admins always may)
    public static readonly CommandPolicy Ping = new(Writes: false, Role.None, Role.Registrant, Role.Auditor);
    public static readonly CommandPolicy Hello = new(Writes: false, Role.None, Role.Registrant, Role.Auditor);
    public static readonly CommandPolicy Verify = new(Writes: false, Role.None, Role.Registrant, Role.Auditor);
    public static readonly CommandPolicy Register = new(Writes: true, Role.Registrant);
    public static readonly CommandPolicy RegisterAnonymous = new(Writes: true, Role.None, Role.Registrant);
    // Ownership decides REMOVE: anyone authenticated but the owner or an admin gets not_owner (PROTOCOL.md section 6).
    public static readonly CommandPolicy Remove = new(Writes: true, Role.Registrant, Role.Auditor);
    public static readonly CommandPolicy Audit = new(Writes: false, Role.Registrant, Role.Auditor); // registrants: own entities only
    // Checkpoints and proofs are hashes only: anyone may check the log.
    public static readonly CommandPolicy LogProof = new(Writes: false, Role.None, Role.Registrant, Role.Auditor);
}
