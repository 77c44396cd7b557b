using System.Net;
using System.Net.Security;

namespace RepSec.Server.Rdap.Http;

/// <summary>
/// Where the RDAP listener binds, and with which TLS settings. Not an <see cref="IPEndPoint"/>, so that Kestrel
/// hands it to <see cref="RdapTransportFactory"/> rather than to its socket transport.
/// </summary>
internal sealed class RdapEndPoint(IPEndPoint address, SslServerAuthenticationOptions tls) : EndPoint
{
    public IPEndPoint Address { get; } = address;

    public SslServerAuthenticationOptions Tls { get; } = tls;

    public override string ToString() => Address.ToString();
}
