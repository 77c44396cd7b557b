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

    public int HandshakeTimeoutSeconds { get; init; } = 10;

    public int MaxConnections { get; init; } = 10_000;

    public int MaxConnectionsPerAddress { get; init; } = 256;

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

        if (Listen is not ("localhost" or "any") && !IPAddress.TryParse(Listen, out _))
        {
            yield return "RepSec:Listen must be localhost, any, or an IP address";
        }

        if (IdleTimeoutSeconds < 1 || HandshakeTimeoutSeconds < 1 || MaxConnections < 1 || MaxConnectionsPerAddress < 1)
        {
            yield return "timeouts and connection caps must be positive";
        }
    }
}
