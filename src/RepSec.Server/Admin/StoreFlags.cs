using System.CommandLine;
using RepSec.Core.Security;
using RepSec.Server.Hosting;

namespace RepSec.Server.Admin;

/// <summary>
/// The flags that say where repsecd's settings and data are: <c>--config</c>, <c>--data</c>, <c>--store</c>,
/// <c>--postgres</c> and <c>--redis</c>. <c>serve</c> and every operator command take them alike, so a command run
/// beside a server reaches the same store as the server. Each flag maps onto the configuration key of the same
/// setting: flags win over the environment, which wins over the settings file.
/// </summary>
internal sealed class StoreFlags
{
    /// <summary>The settings file read when <c>--config</c> is not given, from the working directory.</summary>
    public const string DefaultSettingsFile = "appsettings.json";

    private readonly Option<string?> _config = new("--config")
    {
        Description = $"JSON settings file (default ./{DefaultSettingsFile} when present); the environment (RepSec__*) and flags win over it",
    };

    private readonly Option<string?> _data = new("--data") { Description = "Data directory (default ./data)" };
    private readonly Option<string?> _store = new("--store") { Description = "sqlite (default) or postgres" };

    private readonly Option<string?> _postgres = new("--postgres")
    {
        Description = "PostgreSQL connection string for --store postgres (it holds a password: prefer RepSec__Postgres in the environment)",
    };

    private readonly Option<string?> _redis = new("--redis") { Description = "Redis the nodes share (host:port,password=...; prefer RepSec__Redis)" };

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    public StoreFlags AddTo(Command command)
    {
        command.Add(_config);
        command.Add(_data);
        command.Add(_store);
        command.Add(_postgres);
        command.Add(_redis);
        return this;
    }

    /// <summary>The settings file given with <c>--config</c>, or null for the default.</summary>
    public string? SettingsFile(ParseResult parse) => parse.GetValue(_config);

    /// <summary>The configuration keys the given flags set.</summary>
    public Dictionary<string, string?> Overrides(ParseResult parse)
    {
        var overrides = new Dictionary<string, string?>();
        Set(overrides, parse, "DataDirectory", _data);
        Set(overrides, parse, "Store", _store);
        Set(overrides, parse, "Postgres", _postgres);
        Set(overrides, parse, "Redis", _redis);
        return overrides;
    }

    /// <summary>Records <c>RepSec:<paramref name="name"/></c> when <paramref name="option"/> was given on the command line.</summary>
    public static void Set<T>(Dictionary<string, string?> overrides, ParseResult parse, string name, Option<T> option)
    {
        if (parse.GetResult(option) is { Implicit: false } && parse.GetValue(option) is { } value)
        {
            overrides[$"RepSec:{name}"] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>repsecd's configuration for this command line: the settings file, the environment, then the flags.</summary>
    public IConfiguration Configuration(ParseResult parse)
    {
        var builder = new ConfigurationBuilder();
        AddSettingsFile(builder, SettingsFile(parse));
        return builder.AddEnvironmentVariables().AddInMemoryCollection(Overrides(parse)).Build();
    }

    /// <summary>The server's settings for this command line.</summary>
    public ServerOptions ServerOptions(ParseResult parse) =>
        Configuration(parse).GetSection("RepSec").Get<ServerOptions>() ?? new ServerOptions();

    /// <summary>The principal store the server is configured for.</summary>
    public IPrincipalStore OpenStore(ParseResult parse)
    {
        var options = ServerOptions(parse);
        if (options.Validate().ToList() is { Count: > 0 } errors)
        {
            throw new UsageException(string.Join("; ", errors));
        }

        return Stores.OpenPrincipalStore(options);
    }

    /// <summary>
    /// Adds the settings file: <paramref name="file"/>, which must exist, or <c>./appsettings.json</c> when present.
    /// </summary>
    public static void AddSettingsFile(IConfigurationBuilder builder, string? file)
    {
        if (file is null)
        {
            builder.AddJsonFile(Path.GetFullPath(DefaultSettingsFile), optional: true, reloadOnChange: false);
            return;
        }

        if (!File.Exists(file))
        {
            throw new UsageException($"--config {file}: no such file");
        }

        builder.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
    }
}
