using RepSec.Core.Security;

namespace RepSec.Core.Commands;

/// <summary>The access table of the reputation extension (docs/reputation.md, "Commands").</summary>
public static class ReputationPolicies
{
    //                                                      writes  who may run it (admins always may)
    public static readonly CommandPolicy Report = new(Writes: true, Role.Registrant);
    public static readonly CommandPolicy Withdraw = new(Writes: true, Role.Registrant);
    // Reputation is what the service publishes; who reported what is shown only as policy allows.
    public static readonly CommandPolicy Read = new(Writes: false, Role.None, Role.Registrant, Role.Auditor);
    // The operator's controls against false positives.
    public static readonly CommandPolicy Operator = new(Writes: true);
}
