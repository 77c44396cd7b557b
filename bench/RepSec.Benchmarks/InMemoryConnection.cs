using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace RepSec.Benchmarks;

/// <summary>A connection whose two directions are in-memory pipes: the server without a socket or TLS.</summary>
internal sealed class InMemoryConnection : ConnectionContext
{
    private readonly CancellationTokenSource _closed = new();

    public InMemoryConnection()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        Transport = new DuplexPipe(toServer.Reader, toClient.Writer);
        Client = new DuplexPipe(toClient.Reader, toServer.Writer);
        RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 40000);
        ConnectionClosed = _closed.Token;
    }

    public IDuplexPipe Client { get; }

    public override string ConnectionId { get; set; } = "bench";

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    public override void Abort(ConnectionAbortedException abortReason) => _closed.Cancel();

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
