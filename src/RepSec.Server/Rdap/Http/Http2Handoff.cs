using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace RepSec.Server.Rdap.Http;

/// <summary>
/// A connection that negotiated HTTP/2, handed to Kestrel with TLS already done: its transport is the decrypted
/// stream, and it carries the TLS features Kestrel's own TLS layer would have set (client certificate, ALPN),
/// so that requests on it are HTTPS to the pipeline. Disposing it closes the socket and releases its slot.
/// </summary>
internal sealed class Http2Handoff : ConnectionContext, ITlsConnectionFeature, ITlsApplicationProtocolFeature, IConnectionIdFeature,
    IConnectionTransportFeature, IConnectionItemsFeature, IConnectionLifetimeFeature, IConnectionEndPointFeature
{
    private readonly Socket _socket;
    private readonly SslStream _tls;
    private readonly Action _release;
    private readonly CancellationTokenSource _closed = new();
    private readonly X509Certificate2? _clientCertificate;
    private int _disposed;

    public Http2Handoff(Socket socket, SslStream tls, IPEndPoint remote, IPEndPoint local, string id, Action release)
    {
        _socket = socket;
        _tls = tls;
        _release = release;
        _clientCertificate = tls.RemoteCertificate as X509Certificate2;
        ConnectionId = id;
        RemoteEndPoint = remote;
        LocalEndPoint = local;
        ConnectionClosed = _closed.Token;
        Transport = new DuplexPipe(
            PipeReader.Create(tls, new StreamPipeReaderOptions(leaveOpen: true)),
            PipeWriter.Create(tls, new StreamPipeWriterOptions(leaveOpen: true)));
        Features.Set<ITlsConnectionFeature>(this);
        Features.Set<ITlsApplicationProtocolFeature>(this);
        Features.Set<IConnectionIdFeature>(this);
        Features.Set<IConnectionTransportFeature>(this);
        Features.Set<IConnectionItemsFeature>(this);
        Features.Set<IConnectionLifetimeFeature>(this);
        Features.Set<IConnectionEndPointFeature>(this);
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new ConnectionItems();

    public override IDuplexPipe Transport { get; set; }

    public override CancellationToken ConnectionClosed { get; set; }

    public override EndPoint? LocalEndPoint { get; set; }

    public override EndPoint? RemoteEndPoint { get; set; }

    public X509Certificate2? ClientCertificate { get => _clientCertificate; set { } }

    public ReadOnlyMemory<byte> ApplicationProtocol => SslApplicationProtocol.Http2.Protocol;

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(_clientCertificate);

    public override void Abort(ConnectionAbortedException abortReason)
    {
        _socket.Dispose();
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Kestrel aborts connections at shutdown, and this one may already be disposed.
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await Transport.Input.CompleteAsync();
            await Transport.Output.CompleteAsync();
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            // Completing the writer flushes to a client that may be gone.
        }
        finally
        {
            await _tls.DisposeAsync();
            _closed.Dispose();
            _release();
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
