using System.CommandLine;
using RepSec.Core.Security;
using RepSec.Server.Rdap;
using RepSec.Server.Rdap.Authentication;

namespace RepSec.Server.Admin;

/// <summary><c>repsecd user add|contact|show</c>: HTTP passwords and registrant contact data for RDAP.</summary>
internal static class UserCommands
{
    private const int MinPasswordLength = 8;
    private const int MaxPasswordLength = 1024;

    public static Command Build()
    {
        var user = new Command("user", "Set principals' RDAP passwords (Basic and Digest) and contact data");
        user.Add(Add());
        user.Add(SetContact());
        user.Add(Show());
        return user;
    }

    private static Command Add()
    {
        var flags = new StoreFlags();
        var principal = new Option<string>("--principal") { Description = "Principal name (created if --role is given)", Required = true };
        var role = AdminContext.RoleOption();
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input", Required = true };
        var command = new Command("add", "Set a principal's password for RDAP; stored as a salted PBKDF2 hash and per-realm Digest secrets")
        {
            principal, role, stdin,
        };
        flags.AddTo(command);
        command.SetAction(parse => AdminContext.RunAsync(async () =>
        {
            var password = (await Console.In.ReadLineAsync())?.TrimEnd('\r') ?? "";
            if (password.Length is < MinPasswordLength or > MaxPasswordLength)
            {
                throw new PrincipalStoreException($"the password must be {MinPasswordLength}-{MaxPasswordLength} characters");
            }

            var store = flags.OpenStore(parse);
            var owner = await store.EnsurePrincipalAsync(parse.GetValue(principal)!, AdminContext.ParseRole(parse.GetValue(role)));
            var realm = RdapOptions.Bind(flags.Configuration(parse)).Realm;
            var (salt, hash) = PasswordHasher.Hash(password);
            await store.SetPasswordAsync(new PasswordCredential(owner.Name, salt, PasswordHasher.DefaultIterations, hash, realm,
                DigestAuthentication.ComputeSecret(DigestAlgorithm.Sha256, owner.Name, realm, password),
                DigestAuthentication.ComputeSecret(DigestAlgorithm.Md5, owner.Name, realm, password),
                DateTimeOffset.UtcNow));
            await Console.Error.WriteLineAsync($"password set for {owner.Name} ({owner.Role.ToWire()}), realm \"{realm}\"");
        }));
        return command;
    }

    private static Command SetContact()
    {
        var flags = new StoreFlags();
        var principal = new Option<string>("--principal") { Description = "Principal name", Required = true };
        var clear = new Option<bool>("--clear") { Description = "Remove all contact data" };
        var fields = ContactFields.All.Order(StringComparer.Ordinal)
            .Select(f => (Field: f, Option: new Option<string?>("--" + f.Replace('_', '-')) { Description = $"jCard {f}" }))
            .ToList();
        var command = new Command("contact", "Set a principal's contact data (the registrant jCard); fields not given are removed") { principal, clear };
        foreach (var (_, option) in fields)
        {
            command.Add(option);
        }

        flags.AddTo(command);
        command.SetAction(parse => AdminContext.RunAsync(async () =>
        {
            var collected = RdapOptions.Bind(flags.Configuration(parse)).ContactFields;
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (field, option) in fields)
            {
                if (parse.GetValue(option) is not { } value)
                {
                    continue;
                }

                if (!collected.Contains(field))
                {
                    throw new PrincipalStoreException($"this registry does not collect '{field}' (RepSec:Rdap:ContactFields)");
                }

                if (value.Length > ContactFields.MaxValueLength || value.Any(char.IsControl))
                {
                    throw new PrincipalStoreException($"--{field.Replace('_', '-')} must be at most {ContactFields.MaxValueLength} characters without control characters");
                }

                values[field] = value.Trim();
            }

            if (values.Count == 0 && !parse.GetValue(clear))
            {
                throw new UsageException("give at least one field, or --clear");
            }

            var store = flags.OpenStore(parse);
            var owner = await store.EnsurePrincipalAsync(parse.GetValue(principal)!, null);
            await store.SetContactAsync(new Contact(owner.Name, values, DateTimeOffset.UtcNow));
            await Console.Error.WriteLineAsync(values.Count == 0 ? $"contact data of {owner.Name} removed" : $"contact data of {owner.Name} set: {string.Join(", ", values.Keys)}");
        }));
        return command;
    }

    private static Command Show()
    {
        var flags = new StoreFlags();
        var principal = new Option<string>("--principal") { Description = "Principal name", Required = true };
        var command = new Command("show", "Show a principal's role, whether it has an RDAP password, and its contact data") { principal };
        flags.AddTo(command);
        command.SetAction(parse => AdminContext.RunAsync(async () =>
        {
            var store = flags.OpenStore(parse);
            var owner = await store.EnsurePrincipalAsync(parse.GetValue(principal)!, null);
            var password = await store.FindPasswordAsync(owner.Name);
            Console.Out.WriteLine($"principal: {owner.Name}");
            Console.Out.WriteLine($"role: {owner.Role.ToWire()}");
            Console.Out.WriteLine($"password: {(password is null ? "none" : $"set (realm \"{password.Realm}\")")}");
            foreach (var (field, value) in (await store.FindContactAsync(owner.Name))?.Fields ?? new Dictionary<string, string>())
            {
                Console.Out.WriteLine($"{field}: {value}");
            }
        }));
        return command;
    }
}
