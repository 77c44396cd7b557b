using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using RepSec.Core;
using RepSec.Core.Registry;
using RepSec.Core.Security;
using System.Net.Security;
using RepSec.Server.Connections;
using RepSec.Server.Rdap;
using RepSec.Server.Rdap.Authentication;
using RepSec.Server.Rdap.Http;
using RepSec.Server.Rdap.Queries;
using RepSec.Server.Tls;
using RepSec.Server.Transparency;
using RepSec.Core.Transparency;
using RepSec.Redis;
using RepSec.Storage.Postgres;
using RepSec.Storage.Sqlite;
using Microsoft.Extensions.Hosting.Systemd;

namespace RepSec.Server.Hosting;

/// <summary>
/// Builds and runs repsecd: configuration (appsettings.json, <c>RepSec__*</c> environment variables, then
/// command-line flags), the stores, TLS, and the RepSec listener in Kestrel.
/// </summary>
public sealed partial class RepSecHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ListenOptions> _repsecListeners;
    private readonly List<ListenOptions> _rdapListeners;
    private readonly List<ListenOptions> _metricsListeners;

    private RepSecHost(WebApplication app, ServerOptions options, string developmentCa, List<ListenOptions> repsecListeners, List<ListenOptions> rdapListeners,
        List<ListenOptions> metricsListeners)
    {
        _app = app;
        _repsecListeners = repsecListeners;
        _rdapListeners = rdapListeners;
        _metricsListeners = metricsListeners;
        Options = options;
        DevelopmentCaPath = developmentCa;
    }

    public ServerOptions Options { get; }

    /// <summary>The generated development CA clients should trust, or empty when a certificate was configured.</summary>
    public string DevelopmentCaPath { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The bound RepSec port (useful with port 0).</summary>
    public int RepSecPort => ((RepSecEndPoint)_repsecListeners[0].EndPoint).Address.Port;

    /// <summary>The bound RDAP (HTTPS) port, or 0 when RDAP is off.</summary>
    public int RdapPort => _rdapListeners.Count == 0 ? 0 : _rdapListeners[0].EndPoint switch
    {
        RdapEndPoint own => own.Address.Port,
        var kestrel => ((IPEndPoint)kestrel).Port,
    };

    /// <summary>The bound DNSBL port (UDP and TCP), or 0 when RepSec:Dnsbl:Port is unset.</summary>
    public int DnsblPort => _app.Services.GetService<Dnsbl.DnsblServer>() is { EndPoints: [var first, ..] } ? first.Port : 0;

    /// <summary>The bound Prometheus scrape port, or 0 when RepSec:Metrics:Port is unset.</summary>
    public int MetricsPort => _metricsListeners.Count == 0 ? 0 : ((IPEndPoint)_metricsListeners[0].EndPoint).Port;

    /// <summary>
    /// Builds the host; <paramref name="overrides"/> are configuration keys that win over every other source;
    /// <paramref name="settingsFile"/> (<c>--config</c>) is read instead of <c>./appsettings.json</c>.
    /// </summary>
    public static RepSecHost Create(IReadOnlyDictionary<string, string?> overrides, Action<ILoggingBuilder>? logging = null, string? settingsFile = null)
    {
        // appsettings.json is read once: watching it for changes would watch the working directory, and with it
        // every write to ./data.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        if (settingsFile is not null)
        {
            UseSettingsFile(builder.Configuration, settingsFile);
        }

        builder.Configuration.AddInMemoryCollection(overrides);
        // ASP.NET Core logs two lines per HTTP request at Information; at RDAP rates that is most of the work.
        // Its warnings and errors still show, and Logging:LogLevel:Microsoft.AspNetCore in configuration wins.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Hosting starts an Activity per request whenever its logger is enabled at all; it only logs the two lines above.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        // The host's own start-up lines would list the RDAP port as http://: Kestrel sees it after repsecd's TLS
        // (Rdap/Http). repsecd says where it listens, that it is ready and that it stops, in its own lines below.
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // Under systemd (Type=notify): READY=1 once both listeners accept, STOPPING=1 on SIGTERM, journal log lines.
        builder.Services.AddSystemd();
        NotifyWithoutSystemd(builder.Services);
        LogFormat.Configure(builder);
        logging?.Invoke(builder.Logging);
        var section = builder.Configuration.GetSection(RepSecOptions.Section);
        var server = section.Get<ServerOptions>() ?? new ServerOptions();
        var protocol = section.Get<RepSecOptions>() ?? new RepSecOptions();
        var rdap = RdapOptions.Bind(builder.Configuration);
        var issuers = FederatedIssuerOptions.Bind(builder.Configuration);
        var errors = server.Validate().Concat(protocol.Validate()).Concat(rdap.Validate()).Concat(FederatedIssuerOptions.ValidateAll(issuers)).ToList();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(RepSecOptions.Section, typeof(ServerOptions), errors);
        }

        // Everything under the data directory is the server's alone: database, its WAL, keys.
        if (!Directory.Exists(server.DataDirectory) && !OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(server.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var time = TimeProvider.System;
        string certificatePath, keyPath, ca = "";
        if (server.TlsCertificate is not null)
        {
            (certificatePath, keyPath) = (server.TlsCertificate, server.TlsKey!);
        }
        else
        {
            (certificatePath, keyPath, ca, _) = DevelopmentCertificates.Ensure(server.DataDirectory, time);
        }

        var certificate = TlsPolicy.LoadCertificate(certificatePath, keyPath, out var chain);
        var repsecTls = TlsPolicy.ServerOptions(certificate, chain, TlsPolicy.RepSecAlpn);
        var rdapTls = TlsPolicy.ServerOptions(certificate, chain, SslApplicationProtocol.Http2, SslApplicationProtocol.Http11);

        builder.Services.AddSingleton(server);
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(protocol));
        builder.Services.AddSingleton(time);
        builder.Services.AddStores(server);
        builder.Services.AddRepSecCore();
        builder.Services.AddSingleton(LogKeyFile.LoadOrCreate(server.DataDirectory, protocol.Log.Origin));
        builder.Services.AddHostedService<LogRetentionService>();
        builder.Services.AddHostedService<Reputation.ReputationSweepService>();
        builder.Services.AddHostedService<Reputation.ReputationTableRefresher>();
        Dnsbl.DnsblServiceCollectionExtensions.AddDnsbl(builder.Services, server.Dnsbl);
        builder.Services.AddSingleton<ConnectionGate>();
        builder.Services.AddRdap(rdap, issuers, server.DataDirectory);
        builder.Services.AddMetrics(server.Metrics);
        builder.Services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromSeconds(rdap.HstsMaxAgeSeconds));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        var listeners = new List<ListenOptions>();
        var rdapListeners = new List<ListenOptions>();
        var metricsListeners = new List<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // RepSecTransportFactory accepts, shakes hands and serves these itself; Kestrel only binds and unbinds them.
            foreach (var address in Addresses(server.Listen, server.RepSecPort))
            {
                kestrel.Listen(new RepSecEndPoint(address, repsecTls), listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    listeners.Add(listen);
                });
            }

            if (rdap.Enabled)
            {
                // HTTPS only (RFC 7481 section 3.5): there is no plaintext listener to fall back to.
                kestrel.Limits.MaxRequestBodySize = 0;
                kestrel.Limits.MaxRequestLineSize = RdapQueryParser.MaxTargetLength + 1024;
                kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(server.RequestHeadersTimeoutSeconds);
                foreach (var address in Addresses(server.Listen, server.RdapPort))
                {
                    if (rdap.KestrelHttp1)
                    {
                        // Kestrel alone, for both protocols: its own sockets, gate as middleware, TLS, HTTP/1.1 and HTTP/2.
                        kestrel.Listen(address, listen =>
                        {
                            listen.Protocols = HttpProtocols.Http1AndHttp2;
                            listen.Use(listen.ApplicationServices.GetRequiredService<ConnectionGate>().Wrap);
                            listen.UseHttps(new TlsHandshakeCallbackOptions
                            {
                                OnConnection = _ => ValueTask.FromResult(rdapTls),
                                HandshakeTimeout = TimeSpan.FromSeconds(server.HandshakeTimeoutSeconds),
                            });
                            listen.Use(Http2TargetGuard.Middleware(kestrel.Limits.Http2.HeaderTableSize, kestrel.Limits.Http2.MaxFrameSize));
                            rdapListeners.Add(listen);
                        });
                        continue;
                    }

                    // RdapTransportFactory accepts and shakes hands on these itself: HTTP/1.1 it serves, HTTP/2 it hands
                    // to Kestrel already decrypted, so Kestrel's side of the port speaks HTTP/2 only.
                    kestrel.Listen(new RdapEndPoint(address, rdapTls), listen =>
                    {
                        listen.Protocols = HttpProtocols.Http2;
                        listen.Use(Http2TargetGuard.Middleware(kestrel.Limits.Http2.HeaderTableSize, kestrel.Limits.Http2.MaxFrameSize));
                        rdapListeners.Add(listen);
                    });
                }
            }

            if (server.Metrics.Port is { } metricsPort)
            {
                foreach (var address in Addresses(server.Listen, metricsPort))
                {
                    Metrics.Listen(kestrel, address, rdapTls, TimeSpan.FromSeconds(server.HandshakeTimeoutSeconds), metricsListeners);
                }
            }
        });
        builder.Services.AddSingleton<IConnectionListenerFactory, RepSecTransportFactory>();
        if (rdap.Enabled && !rdap.KestrelHttp1)
        {
            builder.Services.AddSingleton<IConnectionListenerFactory, RdapTransportFactory>();
        }

        var app = builder.Build();
        app.UseMetrics(server.Metrics);
        if (rdap.Enabled)
        {
            RdapPipeline.Configure(app);
        }

        return new RepSecHost(app, server, ca, listeners, rdapListeners, metricsListeners);
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        // Open the stores first: a schema or file problem stops the start with its own message.
        _app.Services.GetRequiredService<IRegistryStore>();
        _app.Services.GetRequiredService<IPrincipalStore>();
        var key = _app.Services.GetRequiredService<LogSigningKey>();
        if (_app.Services.GetService<PostgresDatabase>() is { } database
            && await PostgresLogKey.ClaimAsync(database, key.VerifierKey, cancellationToken) is var shared && shared != key.VerifierKey)
        {
            throw new IOException(
                $"the shared log is signed with {shared}, but this node's key ({Path.Combine(Options.DataDirectory, LogKeyFile.FileName)}) is " +
                $"{key.VerifierKey}: give every node the same {LogKeyFile.FileName} (copy it from the node that started first)");
        }

        if (_app.Services.GetService<RedisConnection>() is { } redis)
        {
            // A node starts only with its engines there (the store was opened above); afterwards it survives their outages.
            if (!await redis.PingAsync())
            {
                throw new IOException($"Redis at {redis.EndPoints} does not answer");
            }

            await _app.Services.GetRequiredService<RedisRevocations>().SubscribeAsync(_app.Services.GetRequiredService<IAuthenticator>());
        }

        await _app.StartAsync(cancellationToken);
        var logger = _app.Services.GetRequiredService<ILogger<RepSecHost>>();
        LogListening(logger, string.Join(", ", _repsecListeners.Select(l => l.EndPoint.ToString())), Path.GetFullPath(Options.DataDirectory));
        LogStores(logger, _app.Services.GetService<SqliteRegistryStore>() is { } sqlite
                ? string.Create(CultureInfo.InvariantCulture, $"SQLite, {sqlite.Count:N0} {(sqlite.Count == 1 ? "entity" : "entities")} loaded in {sqlite.LoadTime.TotalSeconds:F1} s")
                : $"PostgreSQL at {PostgresDatabase.Describe(Options.Postgres!)}",
            _app.Services.GetService<RedisConnection>() is { } redisState ? $"in Redis at {redisState.EndPoints}, shared with every node" : "in this process");
        if (_app.Services.GetService<SqliteRegistryStore>() is { } loaded)
        {
            _ = loaded.SearchOrderBuilt.ContinueWith(
                built => LogSearchOrder(logger, built.Result.Count, built.Result.Count == 1 ? "entity" : "entities", built.Result.Took.TotalSeconds),
                CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            _ = loaded.RecordsChecked.ContinueWith(checkedTask =>
            {
                var (count, mismatched, took) = checkedTask.Result;
                if (mismatched == 0)
                {
                    LogRecordsChecked(logger, count, took.TotalSeconds);
                }
                else
                {
                    LogRecordsMismatched(logger, count, took.TotalSeconds, mismatched);
                }
            }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }

        LogTransparency(logger, key.VerifierKey, Path.GetFullPath(Path.Combine(Options.DataDirectory, LogKeyFile.PublicFileName)));
        if (_rdapListeners.Count > 0)
        {
            LogRdapListening(logger, string.Join(", ", _rdapListeners.Select(l => $"https://{l.EndPoint}/rdap/")));
        }

        if (_metricsListeners.Count > 0)
        {
            LogMetricsListening(logger, string.Join(", ", _metricsListeners.Select(l => $"https://{l.EndPoint}{Metrics.Path}")));
        }

        if (DevelopmentCaPath.Length > 0)
        {
            LogDevelopmentCa(logger, DevelopmentCaPath);
        }

        LogReady(logger);
        _app.Lifetime.ApplicationStopping.Register(() => LogStopping(logger));
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
    }

    /// <summary>
    /// Tells a service manager that sets <c>NOTIFY_SOCKET</c> when repsecd is ready and when it stops, as
    /// sd_notify(3) does, also where <see cref="SystemdHelpers.IsSystemdService"/> does not recognise systemd as the
    /// parent (a container's init, another supervisor).
    /// </summary>
    private static void NotifyWithoutSystemd(IServiceCollection services)
    {
        if (!SystemdHelpers.IsSystemdService() && Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is { Length: > 0 })
        {
            services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }
    }

    /// <summary>
    /// Reads <paramref name="file"/> where the host reads appsettings.json (and appsettings.{Environment}.json): after
    /// the defaults, before the environment and the flags, which still win over it.
    /// </summary>
    private static void UseSettingsFile(IConfigurationBuilder configuration, string file)
    {
        if (!File.Exists(file))
        {
            throw new Admin.UsageException($"--config {file}: no such file");
        }

        var sources = configuration.Sources;
        var at = sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.Json.JsonConfigurationSource);
        foreach (var json in sources.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationSource>().ToList())
        {
            sources.Remove(json);
        }

        var source = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path = Path.GetFullPath(file), Optional = false, ReloadOnChange = false };
        source.ResolveFileProvider();
        sources.Insert(at < 0 ? 0 : at, source);
    }

    /// <summary>
    /// The addresses for a <c>Listen</c> setting, for both ports: loopback (and IPv6 loopback at a fixed port), every
    /// address (IPv6 any, dual-stack, where the OS has IPv6), or the one address given.
    /// </summary>
    internal static IEnumerable<IPEndPoint> Addresses(string listen, int port)
    {
        switch (listen)
        {
            case "localhost":
                yield return new IPEndPoint(IPAddress.Loopback, port);
                if (port != 0 && System.Net.Sockets.Socket.OSSupportsIPv6)
                {
                    yield return new IPEndPoint(IPAddress.IPv6Loopback, port);
                }

                break;
            case "any":
                yield return new IPEndPoint(System.Net.Sockets.Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, port);
                break;
            default:
                yield return new IPEndPoint(IPAddress.Parse(listen), port);
                break;
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "RepSec listening on {Endpoints} (TLS); data in {DataDirectory}")]
    private static partial void LogListening(ILogger logger, string endpoints, string dataDirectory);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Transparency log key {VerifierKey} (also in {PublicKeyFile})")]
    private static partial void LogTransparency(ILogger logger, string verifierKey, string publicKeyFile);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Store: {Store}; replay nonces and rate limits {SharedState}")]
    private static partial void LogStores(ILogger logger, string store, string sharedState);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information, Message = "RDAP searches ready: {Count:N0} {Entities} sorted in {Seconds:F1} s")]
    private static partial void LogSearchOrder(ILogger logger, int count, string entities, double seconds);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Entities checked against their log entries: {Count:N0} in {Seconds:F1} s, all match")]
    private static partial void LogRecordsChecked(ILogger logger, int count, double seconds);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Entities checked against their log entries: {Count:N0} in {Seconds:F1} s; not matching what their entries committed to: {Mismatched:N0} (VERIFY answers verified: false for them; repsecd log verify names them)")]
    private static partial void LogRecordsMismatched(ILogger logger, int count, double seconds, int mismatched);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "RDAP listening on {Endpoints} (HTTPS)")]
    private static partial void LogRdapListening(ILogger logger, string endpoints);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "Metrics for Prometheus at {Endpoints} (HTTPS)")]
    private static partial void LogMetricsListening(ILogger logger, string endpoints);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Ready; Ctrl+C (or SIGTERM) stops the server after the requests in progress")]
    private static partial void LogReady(ILogger logger);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Stopping: no new connections; finishing the requests in progress")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
        Message = "Using a generated development certificate. Clients trust its CA with: repsec --ca {CaPath} ...")]
    private static partial void LogDevelopmentCa(ILogger logger, string caPath);
}
