using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RepSec.Core;
using RepSec.Server.Connections;
using RepSec.Server.Rdap.Http;

namespace RepSec.Server.Tests.Rdap.Http;

/// <summary>
/// The RDAP port's own HTTP/1.1 loop (<see cref="Http1Connection"/> under an <see cref="RdapListener"/>) over real
/// TLS on loopback, on fake time: the listener's once-a-second sweep and its shutdown waits follow the
/// <see cref="FakeTimeProvider"/>, so each timeout is reached by advancing the clock, not by waiting.
/// </summary>
public sealed class Http1LifecycleTests : IAsyncDisposable
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RealWait = TimeSpan.FromSeconds(10);
    private static readonly X509Certificate2 Certificate = CreateCertificate();

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly List<IAsyncDisposable> _owned = [];
    private RdapListener? _listener;
    private IPEndPoint? _endpoint;

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        if (_listener is not null)
        {
            var disposing = _listener.DisposeAsync().AsTask();
            while (!disposing.IsCompleted)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                await Task.WhenAny(disposing, Task.Delay(50));
            }
        }
    }

    [Fact]
    public async Task A_keep_alive_connection_closes_after_its_timeout_and_not_before()
    {
        Start(context => context.Response.WriteAsync("ok"));
        var client = await ConnectAsync();
        Assert.StartsWith("HTTP/1.1 200", await client.RequestAsync("/a"));
        await SettleAsync();

        AdvanceBySeconds(9);
        Assert.True(await client.StillOpenAfterAsync(TimeSpan.FromMilliseconds(300)), "closed before the keep-alive timeout");
        AdvanceBySeconds(2);

        Assert.True(await client.ClosedWithinAsync(RealWait), "still open after the keep-alive timeout");
    }

    [Fact]
    public async Task A_request_whose_headers_do_not_arrive_in_time_is_answered_408_and_closed()
    {
        Start(context => context.Response.WriteAsync("ok"));
        var client = await ConnectAsync();
        // One whole exchange first: the client's TLS reads the server's session tickets, so that bytes waiting on
        // the socket can only be the server's answer or its close.
        Assert.StartsWith("HTTP/1.1 200", await client.RequestAsync("/first"));
        await client.SendAsync("GET /slow HTTP/1.1\r\nHost: localhost\r\nX-Partial: ");
        await SettleAsync();

        AdvanceBySeconds(4);
        Assert.True(await client.StillOpenAfterAsync(TimeSpan.FromMilliseconds(300)), "timed out before the request headers timeout");
        AdvanceBySeconds(2);

        var answer = await client.ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 408", answer);
        Assert.Contains("request headers did not arrive within 5 s", answer);
    }

    [Fact]
    public async Task A_sweep_that_fires_as_a_read_completes_leaves_the_next_read_on_the_connection_healthy()
    {
        // The interleaving of the race: the sweep reads the deadline of a wait that is about to end, the bytes
        // arrive, the loop starts serving, and only then does the sweep act. Acting here, inside the pipeline, is
        // that last step. The next request on the keep-alive connection must be served as any other.
        var first = true;
        Start(context =>
        {
            if (first)
            {
                first = false;
                ((IServedConnection)context.Features).Expire();
            }

            return context.Response.WriteAsync("ok");
        });
        var client = await ConnectAsync();

        Assert.StartsWith("HTTP/1.1 200", await client.RequestAsync("/first"));
        Assert.StartsWith("HTTP/1.1 200", await client.RequestAsync("/second"));
        Assert.StartsWith("HTTP/1.1 200", await client.RequestAsync("/third"));
    }

    [Fact]
    public async Task A_client_that_stops_reading_its_answers_loses_the_connection_after_the_keep_alive_timeout()
    {
        var body = new string('x', 64 * 1024);
        Start(context => context.Response.WriteAsync(body));
        var client = await ConnectAsync();
        const int Requests = 400;
        var requests = string.Concat(Enumerable.Repeat("GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n", Requests));
        await client.SendAsync(requests);
        // Long enough for the server to fill the socket buffers and block in its write.
        await Task.Delay(500);

        AdvanceBySeconds(12);

        var received = await client.CountBytesToEndAsync();
        Assert.True(received < Requests * body.Length, $"all {received} bytes arrived: the write was never cut off");
    }

    [Fact]
    public async Task At_shutdown_an_idle_connection_closes_at_once_and_a_busy_one_sees_its_request_aborted_after_the_shutdown_timeout()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Start(async context =>
        {
            if (context.Request.Path == "/hang")
            {
                entered.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    aborted.TrySetResult();
                    throw;
                }
            }

            await context.Response.WriteAsync("ok");
        });
        var idle = await ConnectAsync();
        Assert.StartsWith("HTTP/1.1 200", await idle.RequestAsync("/quick"));
        var busy = await ConnectAsync();
        await busy.SendAsync("GET /hang HTTP/1.1\r\nHost: localhost\r\n\r\n");
        await entered.Task.WaitAsync(RealWait);
        await SettleAsync();

        var stopping = _time.GetUtcNow();
        var disposing = _listener!.DisposeAsync().AsTask();
        _listener = null;

        Assert.True(await idle.ClosedWithinAsync(RealWait), "the idle connection stayed open at shutdown");
        await AdvanceUntilAsync(aborted.Task);
        Assert.True(_time.GetUtcNow() - stopping >= ShutdownTimeout, "the busy request was aborted before the shutdown timeout");
        await AdvanceUntilAsync(disposing);
        Assert.True(await busy.ClosedWithinAsync(RealWait));
    }

    [Fact]
    public async Task Shutdown_is_bounded_even_when_a_request_ignores_its_abort()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        Start(async context =>
        {
            entered.TrySetResult();
            await never.Task;
        });
        var busy = await ConnectAsync();
        await busy.SendAsync("GET /stuck HTTP/1.1\r\nHost: localhost\r\n\r\n");
        await entered.Task.WaitAsync(RealWait);

        var stopping = _time.GetUtcNow();
        var disposing = _listener!.DisposeAsync().AsTask();
        _listener = null;
        await Task.Delay(200);
        Assert.False(disposing.IsCompleted, "shutdown did not wait for the request in progress");
        await AdvanceUntilAsync(disposing);

        // The shutdown timeout, then one more second for the aborted request to end, then no more.
        Assert.InRange(_time.GetUtcNow() - stopping, ShutdownTimeout, ShutdownTimeout + TimeSpan.FromSeconds(2));
        never.SetResult();
    }

    private void Start(RequestDelegate pipeline)
    {
        var socket = TlsListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _endpoint = (IPEndPoint)socket.LocalEndPoint!;
        var tls = new SslServerAuthenticationOptions
        {
            ServerCertificate = Certificate,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        };
        var settings = new Http1Settings(pipeline, new Http1Limits(8 * 1024, 32 * 1024, 100), HeadersTimeout, KeepAlive, ShutdownTimeout,
            new ServiceCollection().BuildServiceProvider(), _time, NullLogger.Instance);
        var gate = new ConnectionGate(new ServerOptions(), new RepSecMetrics(), _time, NullLogger<ConnectionGate>.Instance);
        _listener = new RdapListener(socket, new RdapEndPoint(_endpoint, tls), settings, gate, TimeSpan.FromSeconds(30));
        _listener.Start();
    }

    private async Task<Client> ConnectAsync()
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(_endpoint!);
        var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });
        var client = new Client(tcp.Client, tls);
        _owned.Add(client);
        return client;
    }

    private void AdvanceBySeconds(int seconds)
    {
        // One second at a time, as the sweep runs.
        for (var i = 0; i < seconds; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Advances the clock a second at a time, with real time between for the server to act, until <paramref name="done"/> completes.</summary>
    private async Task AdvanceUntilAsync(Task done)
    {
        for (var second = 0; !done.IsCompleted; second++)
        {
            Assert.True(second < 60, "still not done after a minute of fake time");
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(done, Task.Delay(100));
        }

        await done;
    }

    /// <summary>Real time for the server's loop to reach its next wait (and stamp its deadline) after the last exchange.</summary>
    private static Task SettleAsync() => Task.Delay(200);

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A client on one TLS connection, reading answers with Content-Length bodies.</summary>
    private sealed class Client(Socket socket, SslStream tls) : IAsyncDisposable
    {
        private readonly byte[] _buffer = new byte[256 * 1024];
        private readonly MemoryStream _pending = new();

        public Task SendAsync(string text) => tls.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

        /// <summary>Sends one GET and returns its answer, head and body.</summary>
        public async Task<string> RequestAsync(string path)
        {
            await SendAsync($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
            using var timeout = new CancellationTokenSource(RealWait);
            while (true)
            {
                var text = Encoding.ASCII.GetString(_pending.ToArray());
                var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headEnd >= 0)
                {
                    var length = ContentLength(text[..headEnd]);
                    if (text.Length >= headEnd + 4 + length)
                    {
                        var answer = text[..(headEnd + 4 + length)];
                        var rest = _pending.ToArray()[(headEnd + 4 + length)..];
                        _pending.SetLength(0);
                        _pending.Write(rest);
                        return answer;
                    }
                }

                var read = await tls.ReadAsync(_buffer, timeout.Token);
                if (read == 0)
                {
                    return "closed: " + text;
                }

                _pending.Write(_buffer, 0, read);
            }
        }

        /// <summary>Everything until the server closes.</summary>
        public async Task<string> ReadToEndAsync()
        {
            using var timeout = new CancellationTokenSource(RealWait);
            int read;
            while ((read = await tls.ReadAsync(_buffer, timeout.Token)) > 0)
            {
                _pending.Write(_buffer, 0, read);
            }

            return Encoding.ASCII.GetString(_pending.ToArray());
        }

        /// <summary>Reads until the server closes or resets, counting the bytes.</summary>
        public async Task<long> CountBytesToEndAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            long total = 0;
            try
            {
                int read;
                while ((read = await tls.ReadAsync(_buffer, timeout.Token)) > 0)
                {
                    total += read;
                }
            }
            catch (IOException)
            {
                // Reset: the server cut the connection off.
            }

            return total;
        }

        /// <summary>
        /// True when, after <paramref name="wait"/>, nothing has arrived, not even the server's close: looked at on the
        /// socket, so that the TLS stream is not left with a cancelled read.
        /// </summary>
        public async Task<bool> StillOpenAfterAsync(TimeSpan wait)
        {
            await Task.Delay(wait);
            return !socket.Poll(0, SelectMode.SelectRead);
        }

        /// <summary>True when the server closes the connection within <paramref name="wait"/>; answers read meanwhile are kept.</summary>
        public async Task<bool> ClosedWithinAsync(TimeSpan wait)
        {
            using var timeout = new CancellationTokenSource(wait);
            try
            {
                while (true)
                {
                    var read = await tls.ReadAsync(_buffer, timeout.Token);
                    if (read == 0)
                    {
                        return true;
                    }

                    _pending.Write(_buffer, 0, read);
                }
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            catch (IOException)
            {
                return true;
            }
        }

        public ValueTask DisposeAsync() => tls.DisposeAsync();

        private static int ContentLength(string head)
        {
            foreach (var line in head.Split("\r\n"))
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    return int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return 0;
        }
    }
}
