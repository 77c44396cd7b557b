using System.CommandLine;
using Microsoft.Extensions.Options;
using RepSec.Server.Hosting;

namespace RepSec.Server.Admin;

/// <summary>The serve flags; each maps onto the configuration key of the same setting, so flags win over files and environment.</summary>
internal static class ServeCommand
{
    public static void Configure(Command command)
    {
        var data = new Option<string?>("--data") { Description = "Data directory (default ./data)" };
        var repsecPort = new Option<int?>("--repsec-port") { Description = "RepSec TLS port (default 4655; 0 picks a free port)" };
        var rdapPort = new Option<int?>("--rdap-port") { Description = "RDAP HTTPS port (default 8443)" };
        var listen = new Option<string?>("--listen") { Description = "localhost (default), any, or an IP address" };
        var cert = new Option<string?>("--tls-cert") { Description = "PEM certificate chain file" };
        var key = new Option<string?>("--tls-key") { Description = "PEM private key file" };
        var store = new Option<string?>("--store") { Description = "sqlite (default) or postgres" };
        var postgres = new Option<string?>("--postgres")
        {
            Description = "PostgreSQL connection string for --store postgres (it holds a password: prefer RepSec__Postgres in the environment)",
        };
        var redis = new Option<string?>("--redis") { Description = "Redis the nodes share (host:port,password=...; prefer RepSec__Redis)" };
        command.Add(data);
        command.Add(store);
        command.Add(postgres);
        command.Add(redis);
        command.Add(repsecPort);
        command.Add(rdapPort);
        command.Add(listen);
        command.Add(cert);
        command.Add(key);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?>();
            void Set<T>(string name, Option<T> option)
            {
                if (parse.GetResult(option) is { Implicit: false } && parse.GetValue(option) is { } value)
                {
                    overrides[$"RepSec:{name}"] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            Set("DataDirectory", data);
            Set("RepSecPort", repsecPort);
            Set("RdapPort", rdapPort);
            Set("Listen", listen);
            Set("TlsCertificate", cert);
            Set("TlsKey", key);
            Set("Store", store);
            Set("Postgres", postgres);
            Set("Redis", redis);
            try
            {
                await using var host = RepSecHost.Create(overrides);
                await host.StartAsync(cancellationToken);
                await host.WaitForShutdownAsync(cancellationToken);
                return 0;
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
