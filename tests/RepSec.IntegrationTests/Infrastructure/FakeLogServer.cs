using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using RepSec.Protocol.Transparency;
using RepSec.Testing.Federation;
using RepSec.Testing.Transparency;

namespace RepSec.IntegrationTests.Infrastructure;

/// <summary>
/// A stand-in RepSec server over TLS that answers HELLO, CHECKPOINT, CONSISTENCY_PROOF and AUDIT from a
/// <see cref="SyntheticLog"/> the test controls, so the command line can meet a log that forks, shrinks or
/// changes its key, which the real server never does.
/// </summary>
internal sealed class FakeLogServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public FakeLogServer(SyntheticLog log)
    {
        Log = log;
        var (ca, certificate) = TestCertificates.Create();
        ca.Dispose();
        _certificate = certificate;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The log served; replace it to make the log grow, shrink or fork between two runs.</summary>
    public SyntheticLog Log { get; set; }

    /// <summary>The key HELLO advertises; defaults to the log's own.</summary>
    public string? AdvertisedKey { get; set; }

    /// <summary>Edits each AUDIT answer before it is sent.</summary>
    public Action<JsonObject>? TamperAudit { get; set; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _certificate.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient tcp;
            try
            {
                tcp = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(tcp);
        }
    }

    private async Task ServeAsync(TcpClient tcp)
    {
        using (tcp)
        {
            await using var tls = new SslStream(tcp.GetStream());
            try
            {
                await tls.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions { ServerCertificate = _certificate, ApplicationProtocols = [new("repsec/1")] }, _stop.Token);
                using var reader = new StreamReader(tls, Encoding.UTF8, false, 4096, leaveOpen: true);
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    var request = JsonNode.Parse(line)!.AsObject();
                    var response = Answer(request);
                    response["id"] = request["id"]?.DeepClone();
                    await tls.WriteAsync(Encoding.UTF8.GetBytes(response.ToJsonString() + "\n"), _stop.Token);
                    await tls.FlushAsync(_stop.Token);
                }
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException or AuthenticationException)
            {
                // the client went away, or the test ended
            }
        }
    }

    private JsonObject Answer(JsonObject request)
    {
        var log = Log;
        switch (request["command"]!.GetValue<string>())
        {
            case "HELLO":
                return Ok(new JsonObject
                {
                    ["protocol"] = "repsec/1",
                    ["commands"] = new JsonArray("PING", "HELLO", "AUDIT"),
                    ["extensions"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "transparency",
                        ["version"] = "1",
                        ["commands"] = new JsonArray("CHECKPOINT", "INCLUSION_PROOF", "CONSISTENCY_PROOF"),
                        ["origin"] = SyntheticLog.Origin,
                        ["log_key"] = AdvertisedKey ?? log.VerifierKey,
                    }),
                    ["limits"] = new JsonObject { ["max_line_bytes"] = 65536, ["max_json_depth"] = 32, ["replay_window_seconds"] = 300 },
                    ["auth_methods"] = new JsonArray("token"),
                });
            case "CHECKPOINT":
                return Ok(new JsonObject
                {
                    ["checkpoint"] = log.Checkpoint(log.Size),
                    ["origin"] = SyntheticLog.Origin,
                    ["tree_size"] = log.Size,
                    ["root"] = SyntheticLog.B64(log.Root(log.Size)),
                });
            case "CONSISTENCY_PROOF":
                var from = request["from"]!.GetValue<long>();
                var to = request["to"]?.GetValue<long>() ?? log.Size;
                return from > to || to > log.Size
                    ? new JsonObject { ["status"] = 400, ["error"] = "invalid_parameter", ["message"] = "bad sizes" }
                    : Ok(new JsonObject
                    {
                        ["from"] = from,
                        ["to"] = to,
                        ["consistency"] = new JsonArray([.. MerkleProofs.Consistency(log.Nodes, from, to).Select(h => (JsonNode)SyntheticLog.B64(h))]),
                        ["root"] = SyntheticLog.B64(log.Root(to)),
                    });
            case "AUDIT":
                var answer = log.AuditAnswer("example.com", "domain", "domain\nexample.com", "alice");
                TamperAudit?.Invoke(answer);
                return answer;
            default:
                return new JsonObject { ["status"] = 400, ["error"] = "unknown_command", ["message"] = "Unknown command" };
        }
    }

    private static JsonObject Ok(JsonObject members)
    {
        members["status"] = 200;
        members["message"] = "OK";
        return members;
    }
}
