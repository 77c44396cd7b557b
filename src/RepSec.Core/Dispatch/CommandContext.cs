using System.Net;
using System.Security.Cryptography.X509Certificates;
using RepSec.Core.Commands;
using RepSec.Core.Security;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Parsing;
using RepSec.Protocol.Writing;

namespace RepSec.Core.Dispatch;

/// <summary>
/// Per-connection state, reused for every request on it: the parsed request, the response writer, who is
/// asking, and what the command resolved.
/// </summary>
public sealed class CommandContext(IPAddress remoteAddress, X509Certificate2? clientCertificate)
{
    public Request Request { get; } = new();

    public ResponseWriter Response { get; } = new();

    /// <summary>Where responses go; the connection sets it once.</summary>
    public System.Buffers.IBufferWriter<byte>? ResponseOutput { get; private set; }

    public void AttachOutput(System.Buffers.IBufferWriter<byte> output)
    {
        ResponseOutput = output;
        Response.Reset(output);
    }

    public IPAddress RemoteAddress { get; } = remoteAddress;

    /// <summary>The TLS client certificate, when the client presented one.</summary>
    public X509Certificate2? ClientCertificate { get; } = clientCertificate;

    /// <summary>Who the current request acts as (anonymous until authenticated).</summary>
    public Principal Principal { get; internal set; } = Principal.Anonymous;

    public RepSecCommand? Command { get; internal set; }

    /// <summary>Server time when the request arrived, to the millisecond.</summary>
    public DateTimeOffset Now { get; internal set; }

    /// <summary>The entity, when the command named it with a type.</summary>
    public CanonicalEntity? Entity { get; internal set; }

    /// <summary>Readings of an untyped entity, to be resolved against what exists.</summary>
    public List<CanonicalEntity>? Candidates { get; internal set; }

    /// <summary>What a <see cref="RepSecCommand{TArguments}"/> bound at parse time, for its execution.</summary>
    internal object? Arguments { get; set; }

    internal void Begin(DateTimeOffset now)
    {
        Arguments = null;
        Now = now;
        Principal = Principal.Anonymous;
        Command = null;
        Entity = null;
        Candidates = null;
    }
}
