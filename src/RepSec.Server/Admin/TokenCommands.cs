using System.CommandLine;
using System.Globalization;
using RepSec.Core.Security;

namespace RepSec.Server.Admin;

/// <summary><c>repsecd token issue|revoke|list</c>.</summary>
internal static class TokenCommands
{
    public static Command Build()
    {
        var token = new Command("token", "Issue, revoke and list bearer tokens");
        token.Add(Issue());
        token.Add(Revoke());
        token.Add(List());
        return token;
    }

    private static Command Issue()
    {
        var flags = new StoreFlags();
        var principal = new Option<string>("--principal") { Description = "Principal name (created if needed)", Required = true };
        var role = AdminContext.RoleOption();
        var command = new Command("issue", "Issue a token; prints only the token on stdout (it is shown once and stored only as a hash)")
        {
            principal, role,
        };
        flags.AddTo(command);
        command.SetAction(parse => AdminContext.RunAsync(async () =>
        {
            var store = flags.OpenStore(parse);
            var owner = await store.EnsurePrincipalAsync(parse.GetValue(principal)!, AdminContext.ParseRole(parse.GetValue(role)));
            var (secret, id, hash) = BearerToken.Create();
            await store.StoreTokenAsync(id, owner.Name, hash, DateTimeOffset.UtcNow);
            Console.Out.WriteLine(secret);
            await Console.Error.WriteLineAsync($"issued token {id} for {owner.Name} ({owner.Role.ToWire()})");
        }));
        return command;
    }

    private static Command Revoke()
    {
        var flags = new StoreFlags();
        var id = new Option<string?>("--id") { Description = "Token id (the 16 hex digits after rs_, as token list shows)" };
        var principal = new Option<string?>("--principal") { Description = "Revoke every token of this principal" };
        var command = new Command("revoke", "Revoke a token, or all tokens of a principal; takes effect within a second") { id, principal };
        flags.AddTo(command);
        command.SetAction(parse => AdminContext.RunAsync(async () =>
        {
            var store = flags.OpenStore(parse);
            var ids = parse.GetValue(id) is { } one ? [one]
                : parse.GetValue(principal) is { } name ? (await store.ListTokensAsync(name)).Where(t => t.RevokedAt is null).Select(t => t.Id).ToList()
                : throw new UsageException("give --id or --principal");
            var revoked = 0;
            foreach (var tokenId in ids)
            {
                if (await store.RevokeTokenAsync(tokenId, DateTimeOffset.UtcNow))
                {
                    revoked++;
                    await AdminContext.AnnounceRevocationAsync(flags.ServerOptions(parse), r => r.PublishTokenAsync(tokenId));
                }
            }

            if (revoked == 0)
            {
                throw new PrincipalStoreException("no active token matched");
            }

            await Console.Error.WriteLineAsync($"revoked {revoked} token(s)");
        }));
        return command;
    }

    private static Command List()
    {
        var flags = new StoreFlags();
        var principal = new Option<string?>("--principal") { Description = "Only this principal's tokens" };
        var command = new Command("list", "List tokens (ids only; secrets are never stored)") { principal };
        flags.AddTo(command);
        command.SetAction(parse => AdminContext.RunAsync(async () =>
        {
            var store = flags.OpenStore(parse);
            Console.Out.WriteLine($"{"ID",-16}  {"PRINCIPAL",-20}  {"ROLE",-10}  {"CREATED",-20}  REVOKED");
            foreach (var t in await store.ListTokensAsync(parse.GetValue(principal)))
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{t.Id,-16}  {t.Principal,-20}  {t.Role.ToWire(),-10}  {t.CreatedAt:yyyy-MM-dd HH:mm:ss}Z  {(t.RevokedAt is { } r ? r.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-")}"));
            }
        }));
        return command;
    }
}
