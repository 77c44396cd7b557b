using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using RepSec.Client;

namespace RepSec.IntegrationTests.Durability;

/// <summary>
/// The real repsecd process under write load, killed with SIGKILL and restarted: every acknowledged write is
/// there, and the registry and its audit history agree.
/// </summary>
public sealed partial class KillTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("repsec-kill-").FullName;
    private static readonly string Repsecd = Path.Combine(AppContext.BaseDirectory, "repsecd.dll");

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Acknowledged_writes_survive_kill_9()
    {
        var token = (await RunToCompletionAsync("token", "issue", "--data", _data, "--principal", "loader", "--role", "registrant")).Trim();
        var acknowledged = new ConcurrentBag<string>();

        var (server, port) = await StartAsync();
        using (var stop = new CancellationTokenSource())
        {
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                await using var client = await RepSecClient.ConnectAsync("localhost", port,
                    new RepSecClientOptions { CaCertificatePath = Path.Combine(_data, "tls", "dev-ca.crt"), Token = token });
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var result = await client.RegisterAsync($"w{w}-{i}.example", "domain");
                        acknowledged.Add(result.Entity);
                    }
                    catch (Exception exception) when (exception is RepSecConnectionException or TimeoutException or IOException or ObjectDisposedException)
                    {
                        return; // the server died under us; everything acknowledged so far must be there
                    }
                }
            })).ToList();

            // Kill once a good number of writes are acknowledged and more are in flight.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (acknowledged.Count < 300 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }

            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        Assert.True(acknowledged.Count >= 300, $"only {acknowledged.Count} writes were acknowledged before the kill");
        var (restarted, newPort) = await StartAsync();
        try
        {
            await using var client = await RepSecClient.ConnectAsync("localhost", newPort,
                new RepSecClientOptions { CaCertificatePath = Path.Combine(_data, "tls", "dev-ca.crt") });
            foreach (var entity in acknowledged)
            {
                Assert.True((await client.VerifyAsync(entity, "domain")).Verified, entity);
            }
        }
        finally
        {
            restarted.Kill(entireProcessTree: true);
            await restarted.WaitForExitAsync();
        }

        // The log and the registry agree after the kill: every leaf, tree node and record recomputes.
        var audit = RepSec.Storage.Sqlite.SqliteLogAudit.Run(new RepSec.Storage.Sqlite.SqliteDatabase(_data));
        Assert.True(audit.Verified, string.Join("; ", audit.Problems));

        // Nothing half-done: every entity has its audit entry, and the audit indices run without gaps.
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_data, "repsec.db")};Pooling=False");
        connection.Open();
        Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM entities e LEFT JOIN log_entries a ON a.log_index = e.log_index WHERE a.log_index IS NULL"));
        Assert.Equal(Scalar(connection, "SELECT COUNT(*) FROM log_entries"), Scalar(connection, "SELECT COALESCE(MAX(log_index) + 1, 0) FROM log_entries"));
        Assert.Equal(Scalar(connection, "SELECT COUNT(*) FROM log_entries WHERE action = 'register'"), Scalar(connection, "SELECT COUNT(*) FROM entities"));
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private async Task<(Process Server, int Port)> StartAsync()
    {
        var server = Process.Start(Info("--data", _data, "--listen", "127.0.0.1", "--repsec-port", "0", "--rdap-port", "0"))!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await server.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                // Keep draining the output so the server never blocks on a full pipe.
                _ = server.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return (server, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException($"repsecd exited before listening: {await server.StandardError.ReadToEndAsync()}");
    }

    private static async Task<string> RunToCompletionAsync(params string[] args)
    {
        using var process = Process.Start(Info(args))!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return output;
    }

    private static ProcessStartInfo Info(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Repsecd);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        return info;
    }

    [GeneratedRegex(@"RepSec listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
