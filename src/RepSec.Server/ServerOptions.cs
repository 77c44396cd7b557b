using System.Net;

namespace RepSec.Server;

/// <summary>Listener and transport settings, bound from the <c>RepSec</c> configuration section.</summary>
public sealed record ServerOptions
{
    /// <summary>Where the database and generated TLS material live.</summary>
    public string DataDirectory { get; init; } = "./data";

    /// <summary><c>localhost</c> (both loopbacks, the default), <c>any</c>, or one IP address.</summary>
    public string Listen { get; init; } = "localhost";

    public int RepSecPort { get; init; } = 4655;

    /// <summary>RDAP over HTTPS (RepSec:Rdap:Enabled turns it off).</summary>
    public int RdapPort { get; init; } = 8443;

    /// <summary>PEM certificate (chain) file; with <see cref="TlsKey"/>. Without both, a development certificate is generated.</summary>
    public string? TlsCertificate { get; init; }

    public string? TlsKey { get; init; }

    public int IdleTimeoutSeconds { get; init; } = 300;

    /// <summary><c>sqlite</c> (the default: <c>repsec.db</c> in the data directory) or <c>postgres</c> (<see cref="Postgres"/>).</summary>
    public string Store { get; init; } = StoreKinds.Sqlite;

    /// <summary>The Npgsql connection string of the shared PostgreSQL database, for <c>Store = postgres</c>.</summary>
    public string? Postgres { get; init; }

    /// <summary>
    /// StackExchange.Redis configuration (<c>host:port,password=...</c>) of the Redis the nodes share for replay
    /// nonces, rate limits and revocation notices. Unset: those stay in this process.
    /// </summary>
    public string? Redis { get; init; }

    /// <summary>Prefix of every Redis key and channel, so several clusters can share one Redis.</summary>
    public string RedisKeyPrefix { get; init; } = "repsec:";

    public int HandshakeTimeoutSeconds { get; init; } = 10;

    /// <summary>
    /// Seconds an HTTPS (RDAP) client has, from its first byte, to send a request's headers; a client trickling
    /// them (slowloris) is closed then. Kestrel's own default is 30.
    /// </summary>
    public int RequestHeadersTimeoutSeconds { get; init; } = 10;

    public int MaxConnections { get; init; } = 10_000;

    public int MaxConnectionsPerAddress { get; init; } = 256;

    /// <summary>Prometheus scrape listener and OTLP push (<c>RepSec:Metrics:*</c>); both off by default.</summary>
    public Hosting.MetricsOptions Metrics { get; init; } = new();

    /// <summary>The DNSBL (<c>RepSec:Dnsbl:*</c>); off unless its port is set.</summary>
    public Dnsbl.DnsblOptions Dnsbl { get; init; } = new();

    /// <summary>The blocklist feeds on the RDAP listener (<c>RepSec:Blocklist:*</c>); on by default.</summary>
    public Blocklist.BlocklistOptions Blocklist { get; init; } = new();

    /// <summary>The CrowdSec-compatible decisions API on the RDAP listener (<c>RepSec:Decisions:*</c>); on by default.</summary>
    public Decisions.DecisionsOptions Decisions { get; init; } = new();

    /// <summary>What a record prints, without <see cref="Postgres"/> and <see cref="Redis"/>: they carry passwords.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("DataDirectory = ").Append(DataDirectory).Append(", Store = ").Append(Store)
            .Append(", Redis = ").Append(Redis is null ? "off" : "on").Append(", Listen = ").Append(Listen)
            .Append(", RepSecPort = ").Append(RepSecPort).Append(", RdapPort = ").Append(RdapPort);
        return true;
    }

    public IEnumerable<string> Validate()
    {
        if (RepSecPort is < 0 or > 65_535 || RdapPort is < 0 or > 65_535)
        {
            yield return "RepSec:RepSecPort and RepSec:RdapPort must be 0-65535";
        }

        if ((TlsCertificate is null) != (TlsKey is null))
        {
            yield return "--tls-cert and --tls-key go together";
        }

        if (Store is not (StoreKinds.Sqlite or StoreKinds.Postgres))
        {
            yield return $"RepSec:Store must be {StoreKinds.Sqlite} or {StoreKinds.Postgres}";
        }
        else if (Store == StoreKinds.Postgres && string.IsNullOrWhiteSpace(Postgres))
        {
            yield return "--store postgres needs --postgres (or RepSec:Postgres / RepSec__Postgres): the database's connection string";
        }

        if (Listen is not ("localhost" or "any") && !IPAddress.TryParse(Listen, out _))
        {
            yield return "RepSec:Listen must be localhost, any, or an IP address";
        }

        foreach (var error in Metrics.Validate().Concat(Dnsbl.Validate()).Concat(Blocklist.Validate()).Concat(Decisions.Validate()))
        {
            yield return error;
        }

        if (IdleTimeoutSeconds < 1 || HandshakeTimeoutSeconds < 1 || RequestHeadersTimeoutSeconds < 1 || MaxConnections < 1 || MaxConnectionsPerAddress < 1)
        {
            yield return "timeouts and connection caps must be positive";
        }
    }
}

/// <summary>The values of <see cref="ServerOptions.Store"/>.</summary>
public static class StoreKinds
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
}
