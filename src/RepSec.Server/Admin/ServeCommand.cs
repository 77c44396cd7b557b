using System.CommandLine;
using Microsoft.Extensions.Options;
using RepSec.Server.Hosting;

namespace RepSec.Server.Admin;

/// <summary>The serve flags; each maps onto the configuration key of the same setting, so flags win over files and environment.</summary>
internal static class ServeCommand
{
    public static void Configure(Command command)
    {
        var flags = new StoreFlags().AddTo(command);
        var repsecPort = new Option<int?>("--repsec-port") { Description = "RepSec TLS port (default 4655; 0 picks a free port)" };
        var rdapPort = new Option<int?>("--rdap-port") { Description = "RDAP HTTPS port (default 8443)" };
        var listen = new Option<string?>("--listen") { Description = "localhost (default), any, or an IP address" };
        var cert = new Option<string?>("--tls-cert") { Description = "PEM certificate chain file" };
        var key = new Option<string?>("--tls-key") { Description = "PEM private key file" };
        var metricsPort = new Option<int?>("--metrics-port") { Description = "Serve Prometheus metrics at https://LISTEN:PORT/metrics (off by default)" };
        var dnsblPort = new Option<int?>("--dnsbl-port") { Description = "Serve a DNSBL (RFC 5782) over UDP and TCP on this port (off by default); needs --dnsbl-zone" };
        var dnsblZone = new Option<string?>("--dnsbl-zone") { Description = "The DNSBL's zone, such as bl.example.org" };
        var logFormat = new Option<string?>("--log-format") { Description = "Console log format: simple (default), json (one object per line) or systemd" };
        logFormat.AcceptOnlyFromAmong([.. LogFormat.Names]);
        command.Add(repsecPort);
        command.Add(rdapPort);
        command.Add(listen);
        command.Add(cert);
        command.Add(key);
        command.Add(metricsPort);
        command.Add(dnsblPort);
        command.Add(dnsblZone);
        command.Add(logFormat);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = flags.Overrides(parse);
            StoreFlags.Set(overrides, parse, "RepSecPort", repsecPort);
            StoreFlags.Set(overrides, parse, "RdapPort", rdapPort);
            StoreFlags.Set(overrides, parse, "Listen", listen);
            StoreFlags.Set(overrides, parse, "TlsCertificate", cert);
            StoreFlags.Set(overrides, parse, "TlsKey", key);
            StoreFlags.Set(overrides, parse, "Metrics:Port", metricsPort);
            StoreFlags.Set(overrides, parse, "Dnsbl:Port", dnsblPort);
            StoreFlags.Set(overrides, parse, "Dnsbl:Zone", dnsblZone);
            if (parse.GetValue(logFormat) is { } format)
            {
                overrides[LogFormat.Key] = format;
            }
            try
            {
                await using var host = RepSecHost.Create(overrides, settingsFile: flags.SettingsFile(parse));
                await host.StartAsync(cancellationToken);
                await host.WaitForShutdownAsync(cancellationToken);
                return 0;
            }
            catch (UsageException exception)
            {
                await Console.Error.WriteLineAsync($"repsecd: {exception.Message}");
                return ExitCodes.Usage;
            }
            catch (OptionsValidationException exception)
            {
                await Console.Error.WriteLineAsync($"repsecd: configuration error: {string.Join("; ", exception.Failures)}");
                return ExitCodes.Usage;
            }
            catch (IOException exception)
            {
                await Console.Error.WriteLineAsync($"repsecd: {exception.Message}");
                return ExitCodes.Failed;
            }
            catch (System.Data.Common.DbException exception)
            {
                await Console.Error.WriteLineAsync($"repsecd: cannot use the database: {exception.Message}");
                return ExitCodes.Failed;
            }
            catch (StackExchange.Redis.RedisException exception)
            {
                await Console.Error.WriteLineAsync($"repsecd: cannot use Redis: {exception.Message}");
                return ExitCodes.Failed;
            }
            catch (System.Security.Cryptography.CryptographicException exception)
            {
                await Console.Error.WriteLineAsync($"repsecd: cannot use the TLS certificate or key: {exception.Message}");
                return ExitCodes.Failed;
            }
        });
    }
}
