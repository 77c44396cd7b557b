using System.IO.Pipelines;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http.Features;

namespace RepSec.Server.Rdap.Http;

/// <summary>
/// The connection as the features ASP.NET Core's <see cref="HttpContext"/> reads: request, response, body,
/// connection, TLS client certificate, lifetime and services, and the feature collection that holds them. One
/// <see cref="HttpContext"/> serves the connection's requests in turn; any other feature the pipeline sets on a
/// request (items, a parsed query) is dropped before the next, and the collection's revision moves on so that
/// the context reads every feature afresh.
/// </summary>
internal sealed partial class Http1Connection : IFeatureCollection,
    IHttpRequestFeature, IHttpResponseFeature, IHttpResponseBodyFeature, IHttpConnectionFeature, IHttpRequestLifetimeFeature,
    ITlsConnectionFeature, IServiceProvidersFeature, IHttpRequestBodyDetectionFeature
{
    private readonly IPEndPoint _remote;
    private readonly IPEndPoint _local;
    private readonly X509Certificate2? _clientCertificate;
    private readonly DefaultHttpContext _context;
    private Dictionary<Type, object>? _otherFeatures;
    private int _revision;
    private readonly HeaderDictionary _responseHeaders = new();
    private readonly ResponseBody _body = new();
    private List<(Func<object, Task> Callback, object State)>? _onStarting;
    private List<(Func<object, Task> Callback, object State)>? _onCompleted;
    private int _statusCode;
    private string? _reasonPhrase;
    private bool _hasStarted;
    private string? _connectionId;
    private PathString _path;
    private QueryString _queryString;

    bool IFeatureCollection.IsReadOnly => false;

    int IFeatureCollection.Revision => _revision;

    object? IFeatureCollection.this[Type key]
    {
        get
        {
            if (_otherFeatures is { Count: > 0 } others && others.TryGetValue(key, out var replaced))
            {
                return replaced;
            }

            return key == typeof(IHttpRequestFeature) || key == typeof(IHttpResponseFeature) || key == typeof(IHttpResponseBodyFeature)
                || key == typeof(IHttpConnectionFeature) || key == typeof(IHttpRequestLifetimeFeature) || key == typeof(ITlsConnectionFeature)
                || key == typeof(IServiceProvidersFeature) || key == typeof(IHttpRequestBodyDetectionFeature)
                ? this
                : null;
        }

        set
        {
            _revision++;
            if (value is null)
            {
                _otherFeatures?.Remove(key);
            }
            else
            {
                (_otherFeatures ??= [])[key] = value;
            }
        }
    }

    TFeature? IFeatureCollection.Get<TFeature>() where TFeature : default => (TFeature?)((IFeatureCollection)this)[typeof(TFeature)];

    void IFeatureCollection.Set<TFeature>(TFeature? instance) where TFeature : default => ((IFeatureCollection)this)[typeof(TFeature)] = instance;

    IEnumerator<KeyValuePair<Type, object>> IEnumerable<KeyValuePair<Type, object>>.GetEnumerator()
    {
        Type[] own = [typeof(IHttpRequestFeature), typeof(IHttpResponseFeature), typeof(IHttpResponseBodyFeature), typeof(IHttpConnectionFeature),
            typeof(IHttpRequestLifetimeFeature), typeof(ITlsConnectionFeature), typeof(IServiceProvidersFeature), typeof(IHttpRequestBodyDetectionFeature)];
        foreach (var type in own)
        {
            if (((IFeatureCollection)this)[type] is { } feature)
            {
                yield return new KeyValuePair<Type, object>(type, feature);
            }
        }

        foreach (var other in _otherFeatures ?? [])
        {
            if (Array.IndexOf(own, other.Key) < 0)
            {
                yield return other;
            }
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<Type, object>>)this).GetEnumerator();

    // Request
    string IHttpRequestFeature.Protocol { get => _request.Http10 ? "HTTP/1.0" : "HTTP/1.1"; set { } }

    string IHttpRequestFeature.Scheme { get => "https"; set { } }

    string IHttpRequestFeature.Method { get => _request.Method; set => _request.Method = value; }

    string IHttpRequestFeature.PathBase { get => ""; set { } }

    string IHttpRequestFeature.Path { get => _path.Value ?? ""; set => _path = new PathString(value); }

    string IHttpRequestFeature.QueryString { get => _queryString.Value ?? ""; set => _queryString = new QueryString(value); }

    string IHttpRequestFeature.RawTarget { get => _request.RawTarget; set => _request.RawTarget = value; }

    IHeaderDictionary IHttpRequestFeature.Headers { get => _request.Headers; set => throw new NotSupportedException(); }

    Stream IHttpRequestFeature.Body { get => Stream.Null; set { } }

    bool IHttpRequestBodyDetectionFeature.CanHaveBody => false;

    // Response
    int IHttpResponseFeature.StatusCode { get => _statusCode; set => _statusCode = value; }

    string? IHttpResponseFeature.ReasonPhrase { get => _reasonPhrase; set => _reasonPhrase = value; }

    IHeaderDictionary IHttpResponseFeature.Headers { get => _responseHeaders; set => throw new NotSupportedException(); }

    [Obsolete("Use IHttpResponseBodyFeature.Stream")]
    Stream IHttpResponseFeature.Body { get => _body.Stream; set => throw new NotSupportedException(); }

    bool IHttpResponseFeature.HasStarted => _hasStarted;

    void IHttpResponseFeature.OnStarting(Func<object, Task> callback, object state) => (_onStarting ??= []).Add((callback, state));

    void IHttpResponseFeature.OnCompleted(Func<object, Task> callback, object state) => (_onCompleted ??= []).Add((callback, state));

    Stream IHttpResponseBodyFeature.Stream => _body.Stream;

    PipeWriter IHttpResponseBodyFeature.Writer => _body;

    void IHttpResponseBodyFeature.DisableBuffering()
    {
    }

    Task IHttpResponseBodyFeature.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHttpResponseBodyFeature.SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken) =>
        SendFileFallback.SendFileAsync(_body.Stream, path, offset, count, cancellationToken);

    Task IHttpResponseBodyFeature.CompleteAsync() => Task.CompletedTask;

    // Connection
    string IHttpConnectionFeature.ConnectionId { get => _connectionId ??= _settings.NextConnectionId(); set => _connectionId = value; }

    IPAddress? IHttpConnectionFeature.RemoteIpAddress { get => _remote.Address; set { } }

    IPAddress? IHttpConnectionFeature.LocalIpAddress { get => _local.Address; set { } }

    int IHttpConnectionFeature.RemotePort { get => _remote.Port; set { } }

    int IHttpConnectionFeature.LocalPort { get => _local.Port; set { } }

    CancellationToken IHttpRequestLifetimeFeature.RequestAborted { get => Aborted.Token; set { } }

    void IHttpRequestLifetimeFeature.Abort() => Abort();

    X509Certificate2? ITlsConnectionFeature.ClientCertificate { get => _clientCertificate; set { } }

    Task<X509Certificate2?> ITlsConnectionFeature.GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(_clientCertificate);

    IServiceProvider IServiceProvidersFeature.RequestServices { get => _settings.Services; set { } }
}
