using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RepSec.Client.Transport;
using RepSec.Client.Wire;

namespace RepSec.Client;

/// <summary>
/// One TLS connection to a RepSec server. Safe for concurrent use: requests are pipelined on the connection and
/// every call gets its own response. Write commands get a fresh <c>nonce</c> and <c>timestamp</c> automatically.
/// </summary>
public sealed partial class RepSecClient : IAsyncDisposable
{
    /// <summary>The RepSec port, 4655.</summary>
    public const int DefaultPort = 4655;

    private readonly LineConnection _connection;
    private readonly RepSecClientOptions _options;
    private readonly TimeProvider _time;
    private long _lastId;
    private int _disposed;

    private RepSecClient(LineConnection connection, RepSecClientOptions options, TimeProvider time)
    {
        _connection = connection;
        _options = options;
        _time = time;
    }

    /// <summary>Connects over TCP and TLS (1.2 or 1.3, ALPN <c>repsec/1</c>) and validates the server's certificate.</summary>
    /// <param name="host">A host name or IP address (IPv6 without brackets).</param>
    /// <param name="port">The TCP port, normally <see cref="DefaultPort"/>.</param>
    /// <param name="options">Trust, credentials and timeout; the defaults trust the system store and send no token.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <exception cref="RepSecConnectionException">The connection was refused, timed out, or the TLS handshake failed.</exception>
    public static async Task<RepSecClient> ConnectAsync(
        string host, int port, RepSecClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        options ??= new RepSecClientOptions();
        var time = options.TimeProvider ?? TimeProvider.System;
        var authentication = TlsConnector.CreateAuthenticationOptions(host, options);
        using var timeout = new CancellationTokenSource(options.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var stream = await TlsConnector.ConnectAsync(host, port, authentication, linked.Token);
            return new RepSecClient(new LineConnection(stream), options, time);
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var message = $"Timed out after {Seconds(options.Timeout)} s";
            throw new RepSecConnectionException(message, new TimeoutException(message, exception));
        }
    }

    /// <summary>
    /// Sends any request object, typically an extension command, and returns the whole response object. The
    /// request is copied; the copy gets this connection's <c>id</c>, the token as <c>auth</c> unless it has one,
    /// and a fresh <c>nonce</c> and <c>timestamp</c> unless it has them.
    /// </summary>
    /// <exception cref="RepSecException">The server answered with a status other than 200.</exception>
    /// <exception cref="RepSecConnectionException">The connection failed before the response arrived.</exception>
    /// <exception cref="TimeoutException">No response within <see cref="RepSecClientOptions.Timeout"/>.</exception>
    public Task<JsonElement> SendAsync(JsonObject request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request["command"] is not JsonValue command || !command.TryGetValue<string>(out var name) || name.Length == 0)
        {
            throw new ArgumentException("The request needs a 'command' string", nameof(request));
        }

        var copy = (JsonObject)request.DeepClone();
        if (!copy.ContainsKey("auth") && _options.Token is { } token)
        {
            copy["auth"] = token;
        }

        if (!copy.ContainsKey("nonce"))
        {
            copy["nonce"] = RequestWriter.NewNonce();
        }

        if (!copy.ContainsKey("timestamp"))
        {
            copy["timestamp"] = RequestWriter.Timestamp(_time);
        }

        return ExchangeAsync(copy, cancellationToken);
    }

    /// <summary>Closes the connection; calls still waiting for a response fail with <see cref="RepSecConnectionException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _connection.DisposeAsync();
        }
    }

    /// <summary>Sends a request, waits for its response and throws unless the status is 200.</summary>
    private async Task<JsonElement> ExchangeAsync(JsonObject request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var id = Interlocked.Increment(ref _lastId);
        request["id"] = id;
        var line = RequestWriter.ToLine(request);
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        JsonElement response;
        try
        {
            response = await _connection.SendAsync(line, id, linked.Token);
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"No response to {request["command"]} within {Seconds(_options.Timeout)} s", exception);
        }

        ResponseReader.EnsureSuccess(response);
        return response;
    }

    private static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
