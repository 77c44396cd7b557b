using System.CommandLine;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RepSec.Client;

namespace RepSec.Cli;

/// <summary>
/// One invocation: turns the global options (and their environment defaults) into a connected client, runs a
/// command on it, and maps every failure to a message on stderr and an exit code.
/// </summary>
internal sealed class CliContext(ParseResult parseResult, GlobalOptions options, TextWriter stdout, TextWriter stderr)
{
    private const string CertificateHint = "use --ca FILE (the server prints where its development CA is) or --insecure";

    public OutputFormatter Output { get; } = new(stdout, parseResult.GetValue(options.Json));

    /// <summary>Where warnings go.</summary>
    public TextWriter Error => stderr;

    /// <summary>The server this invocation talks to; set before the command runs.</summary>
    public (string Host, int Port) Server { get; private set; }

    /// <summary>Opens another connection with the same server, trust and credentials (for commands that use several); set before the command runs.</summary>
    public Func<CancellationToken, Task<RepSecClient>> ConnectAnotherAsync { get; private set; } = _ => throw new InvalidOperationException("not connected");

    public async Task<int> RunAsync(Func<RepSecClient, CancellationToken, Task<int>> command, CancellationToken cancellationToken)
    {
        // --server was validated by the parser; only the environment's value can still be malformed.
        var server = parseResult.GetValue(options.Server) ?? Environment("REPSEC_SERVER") ?? $"localhost:{RepSecClient.DefaultPort}";
        string host;
        int port;
        try
        {
            (host, port) = RepSecClient.ParseServer(server);
        }
        catch (FormatException exception)
        {
            return await UsageErrorAsync($"REPSEC_SERVER: {exception.Message}");
        }

        Server = (host, port);
        var display = Display(host, port);
        if (parseResult.GetValue(options.Cert) is null && parseResult.GetValue(options.Key) is not null)
        {
            return await UsageErrorAsync("--key needs --cert");
        }

        X509Certificate2? certificate;
        try
        {
            certificate = LoadClientCertificate();
        }
        catch (Exception exception) when (exception is CryptographicException or IOException)
        {
            return await UsageErrorAsync($"cannot load the client certificate: {exception.Message}");
        }

        using (certificate)
        {
            var caPath = parseResult.GetValue(options.Ca)?.FullName ?? Environment("REPSEC_CA");
            var seconds = parseResult.GetValue(options.Timeout);
            var clientOptions = new RepSecClientOptions
            {
                CaCertificatePath = caPath,
                Insecure = parseResult.GetValue(options.Insecure),
                Token = parseResult.GetValue(options.Token) is { Length: > 0 } token ? token : Environment("REPSEC_TOKEN"),
                ClientCertificate = certificate,
                Timeout = seconds is { } value ? TimeSpan.FromSeconds(value) : TimeSpan.FromSeconds(30),
            };
            return await ConnectAndRunAsync(host, port, display, clientOptions, command, cancellationToken);
        }
    }

    private async Task<int> ConnectAndRunAsync(
        string host, int port, string display, RepSecClientOptions clientOptions,
        Func<RepSecClient, CancellationToken, Task<int>> command, CancellationToken cancellationToken)
    {
        RepSecClient client;
        try
        {
            client = await RepSecClient.ConnectAsync(host, port, clientOptions, cancellationToken);
        }
        catch (RepSecConnectionException exception)
        {
            await stderr.WriteLineAsync($"repsec: cannot connect to {display}: {exception.Message}");
            if (IsCertificateFailure(exception))
            {
                await stderr.WriteLineAsync($"repsec: {CertificateHint}");
            }

            return ExitCodes.Connection;
        }
        catch (Exception exception) when (exception is CryptographicException or IOException)
        {
            return await UsageErrorAsync($"cannot read the CA file {clientOptions.CaCertificatePath}: {exception.Message}");
        }

        ConnectAnotherAsync = token => RepSecClient.ConnectAsync(host, port, clientOptions, token);
        await using (client)
        {
            try
            {
                return await command(client, cancellationToken);
            }
            catch (RepSecException exception)
            {
                await Output.ErrorResponseAsync(exception);
                await stderr.WriteLineAsync(OutputFormatter.Describe(exception));
                return exception.Status is 0 or 200 ? ExitCodes.ServerError : ExitCodes.ForStatus(exception.Status);
            }
            catch (CommandFailedException exception)
            {
                foreach (var line in exception.Message.Split('\n'))
                {
                    await stderr.WriteLineAsync($"repsec: {line}");
                }

                return exception.ExitCode;
            }
            catch (RepSecConnectionException exception)
            {
                await stderr.WriteLineAsync($"repsec: connection to {display} failed: {exception.Message}");
                return ExitCodes.Connection;
            }
            catch (TimeoutException exception)
            {
                await stderr.WriteLineAsync($"repsec: timed out waiting for {display}: {exception.Message}");
                return ExitCodes.Connection;
            }
        }
    }

    /// <summary>The server as users write it: <c>host:port</c>, or <c>[v6]:port</c>.</summary>
    public static string Display(string host, int port) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";

    private X509Certificate2? LoadClientCertificate()
    {
        var certPath = parseResult.GetValue(options.Cert)?.FullName;
        var keyPath = parseResult.GetValue(options.Key)?.FullName;
        if (certPath is null)
        {
            return null;
        }

        var certificate = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        if (!OperatingSystem.IsWindows())
        {
            return certificate;
        }

        // Windows TLS cannot use the ephemeral key of a PEM import; a PKCS#12 round trip gives it a usable one.
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }

    private async Task<int> UsageErrorAsync(string message)
    {
        await stderr.WriteLineAsync($"repsec: {message}");
        return ExitCodes.Usage;
    }

    private static bool IsCertificateFailure(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is AuthenticationException && current.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string? Environment(string name) =>
        System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
