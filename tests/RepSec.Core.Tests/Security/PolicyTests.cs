using RepSec.Core.Commands;
using RepSec.Core.Security;

namespace RepSec.Core.Tests.Security;

public sealed class PolicyTests
{
    public static TheoryData<string, Role, bool> Table => new()
    {
        { "PING", Role.None, true },
        { "HELLO", Role.None, true },
        { "VERIFY", Role.None, true },
        { "REGISTER", Role.None, false },
        { "REGISTER", Role.Registrant, true },
        { "REGISTER", Role.Auditor, false },
        { "REGISTER", Role.Admin, true },
        { "REMOVE", Role.None, false },
        { "REMOVE", Role.Registrant, true },
        { "REMOVE", Role.Auditor, true }, // reaches the ownership check, which answers not_owner
        { "REMOVE", Role.Admin, true },
        { "AUDIT", Role.None, false },
        { "AUDIT", Role.Registrant, true },
        { "AUDIT", Role.Auditor, true },
        { "AUDIT", Role.Admin, true },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Roles_match_the_profile(string command, Role role, bool permitted)
    {
        var policy = command switch
        {
            "PING" => CommandPolicies.Ping,
            "HELLO" => CommandPolicies.Hello,
            "VERIFY" => CommandPolicies.Verify,
            "REGISTER" => CommandPolicies.Register,
            "REMOVE" => CommandPolicies.Remove,
            _ => CommandPolicies.Audit,
        };

        Assert.Equal(permitted, policy.Permits(role));
    }

    [Fact]
    public void Anonymous_register_is_a_separate_opt_in_policy()
    {
        Assert.False(CommandPolicies.Register.AllowsAnonymous);
        Assert.True(CommandPolicies.RegisterAnonymous.AllowsAnonymous);
        Assert.True(CommandPolicies.Register.Writes);
        Assert.False(CommandPolicies.Verify.Writes);
    }

    [Theory]
    [InlineData("alice", true)]
    [InlineData("ops.team@example", true)]
    [InlineData("anonymous", false)]
    [InlineData("ANONYMOUS", false)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    public void Principal_names(string name, bool valid) => Assert.Equal(valid, Principal.IsValidName(name));
}
