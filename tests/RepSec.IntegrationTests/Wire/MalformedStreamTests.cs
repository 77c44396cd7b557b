using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RepSec.Core;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace RepSec.IntegrationTests.Wire;

/// <summary>
/// A randomized stream of malformed frames from many connections against the live server: mutated requests of
/// every command, pipelined, with the occasional line past the limit. Every frame gets exactly one answer, a JSON
/// object with a status below 500; the server never drops a connection it should keep, never hangs, logs no error,
/// and serves a well-behaved client afterwards. <c>REPSEC_MALFORMED_FRAMES</c> and <c>REPSEC_MALFORMED_SEED</c>
/// set the stream's length and seed (the long form in docs/hardening.md).
/// </summary>
public sealed class MalformedStreamTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Connections = 16;
    private const int DefaultFrames = 8_000;
    private const int Batch = 25;

    private TestServer _server = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        // Rate limits and the authentication-failure throttle are raised so frames reach the parser, the
        // authenticator and the commands instead of stopping at 429 (those limits have tests of their own).
        _server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["RepSec:RateLimits:PerAddressPerSecond"] = "1000000",
            ["RepSec:RateLimits:PerAddressBurst"] = "1000000",
            ["RepSec:RateLimits:PerPrincipalPerSecond"] = "1000000",
            ["RepSec:RateLimits:PerPrincipalBurst"] = "1000000",
            ["RepSec:RateLimits:AuthFailuresPerMinute"] = "1000000",
        });
        _token = await _server.IssueTokenAsync("fuzzer", Role.Registrant);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Malformed_frames_from_many_connections_get_one_answer_each_and_never_a_5xx()
    {
        var frames = TestSettings.Int("REPSEC_MALFORMED_FRAMES") ?? DefaultFrames;
        var seed = TestSettings.Int("REPSEC_MALFORMED_SEED") ?? Random.Shared.Next();
        output.WriteLine($"{frames} frames over {Connections} connections, seed {seed}");
        var statuses = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        var lineLimit = _server.Host.Services.GetRequiredService<IOptions<RepSecOptions>>().Value.MaxLineBytes;

        await Task.WhenAll(Enumerable.Range(0, Connections).Select(c => Task.Run(async () =>
        {
            var generator = new FrameGenerator(new Random(seed + c), _token, lineLimit);
            var wire = await _server.ConnectAsync();
            try
            {
                for (var sent = 0; sent < frames / Connections && failures.IsEmpty;)
                {
                    var batch = Enumerable.Range(0, Batch).Select(_ => generator.Next()).ToList();
                    // A line past the limit ends the connection after its answer, so it goes last in its batch.
                    var oversized = generator.Chance(100);
                    if (oversized)
                    {
                        batch.Add(generator.Oversized());
                    }

                    await wire.SendBytesAsync([.. batch.SelectMany(frame => frame.Append((byte)'\n'))]);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        var line = await wire.ReadLineAsync(timeoutSeconds: 30);
                        if (Answer(line, batch[i]) is { } problem)
                        {
                            failures.Enqueue(problem);
                            return;
                        }

                        using var answer = JsonDocument.Parse(line!);
                        var status = answer.RootElement.GetProperty("status").GetInt32();
                        statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                        if (status >= 500)
                        {
                            failures.Enqueue($"status {status} for {Printable(batch[i])}: {line}");
                        }
                    }

                    sent += batch.Count;
                    if (oversized)
                    {
                        if (await wire.ReadLineAsync(timeoutSeconds: 30) is { } extra)
                        {
                            failures.Enqueue($"the connection stayed open after an oversized line: {extra}");
                        }

                        await wire.DisposeAsync();
                        wire = await _server.ConnectAsync();
                    }
                }
            }
            finally
            {
                await wire.DisposeAsync();
            }
        })));

        output.WriteLine("answers by status: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(failures.IsEmpty, string.Join("\n", failures));
        Assert.True(statuses.Keys.Any(s => s is >= 400 and < 500), "the stream drew no 4xx at all: the generator is not producing malformed frames");
        Assert.DoesNotContain(_server.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
        await using var afterwards = await _server.ConnectAsync();
        Assert.Equal(200, (await afterwards.RequestAsync("{\"command\":\"PING\"}")).Status());
    }

    private static string? Answer(string? line, byte[] frame)
    {
        if (line is null)
        {
            return $"the server closed the connection instead of answering {Printable(frame)}";
        }

        try
        {
            using var answer = JsonDocument.Parse(line);
            return answer.RootElement.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Number
                ? null
                : $"an answer without a status for {Printable(frame)}: {line}";
        }
        catch (JsonException)
        {
            return $"an answer that is not JSON for {Printable(frame)}: {line}";
        }
    }

    private static string Printable(byte[] frame) =>
        frame.Length > 300 ? $"{frame.Length} bytes starting {Convert.ToHexString(frame.AsSpan(0, 64))}" : Convert.ToHexString(frame);

    /// <summary>Valid requests of every command, then one to four mutations each; never a newline inside a frame.</summary>
    private sealed class FrameGenerator(Random random, string token, int lineLimit)
    {
        private static readonly byte[][] Fragments =
        [
            "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), "\""u8.ToArray(), "\\"u8.ToArray(), ":"u8.ToArray(),
            ","u8.ToArray(), "null"u8.ToArray(), "-0"u8.ToArray(), "1e999999"u8.ToArray(), "99999999999999999999999"u8.ToArray(),
            "\\u0000"u8.ToArray(), "\\ud800"u8.ToArray(), [0x00], [0xC0, 0x80], [0xFF], [0xED, 0xA0, 0x80], [0xE2, 0x80, 0xA8], "\r"u8.ToArray(),
            "\"command\":\"REGISTER\""u8.ToArray(), "\"entity\":\"\""u8.ToArray(), "\"type\":\"ip\""u8.ToArray(), "\"auth\":null"u8.ToArray(),
        ];

        private readonly string[] _templates =
        [
            """{"command":"PING","id":"p1"}""",
            """{"command":"HELLO","version":"1.0","client":"fuzz"}""",
            """{"command":"VERIFY","entity":"example.com","type":"domain"}""",
            """{"command":"VERIFY","entity":"192.0.2.1","type":"ip"}""",
            """{"command":"VERIFY","entity":"AS64500","type":"asn"}""",
            """{"command":"VERIFY","entity":"bücher.example"}""",
            """{"command":"AUDIT","entity":"example.com","type":"domain","auth":"TOKEN"}""",
            """{"command":"REGISTER","entity":"ENTITY","type":"domain","auth":"TOKEN","nonce":"NONCE","timestamp":"NOW","attributes":{"note":"x","n":[1,2,{"a":true}]}}""",
            """{"command":"REGISTER","entity":"2001:db8::ENTITY","type":"ip","auth":"TOKEN","nonce":"NONCE","timestamp":"NOW"}""",
            """{"command":"REMOVE","entity":"ENTITY","type":"domain","auth":"TOKEN","nonce":"NONCE","timestamp":"NOW"}""",
            """{"command":"CHECKPOINT"}""",
            """{"command":"INCLUSION_PROOF","index":0,"tree_size":1}""",
            """{"command":"CONSISTENCY_PROOF","from":1,"to":2}""",
            """{"command":"AUDIT","entity":"example.com","proofs":true,"auth":"TOKEN"}""",
            """{"command":"REPORT","entity":"ENTITY","assertion":"spam","rating":0.75,"confidence":0.5,"categories":["bulk","botnet"],"evidence":"Received: from x","expires":"2099-01-01T00:00:00Z","auth":"TOKEN","nonce":"NONCE","timestamp":"NOW"}""",
            """{"command":"REPUTATION","entity":"example.com","reports":true,"auth":"TOKEN"}""",
            """{"command":"CHANGES","cursor":"AQAAAAAAAAAA","limit":10}""",
            """{"command":"WITHDRAW","report":12,"auth":"TOKEN","nonce":"NONCE","timestamp":"NOW"}""",
            """{"command":"ALLOWLIST","entity":"ENTITY","action":"add","reason":"partner","auth":"TOKEN","nonce":"NONCE","timestamp":"NOW"}""",
            """{"command":"TRUST","principal":"alice","trust":0.5,"auth":"TOKEN","nonce":"NONCE","timestamp":"NOW"}""",
        ];

        public bool Chance(int oneIn) => random.Next(oneIn) == 0;

        public byte[] Next()
        {
            var template = _templates[random.Next(_templates.Length)]
                .Replace("TOKEN", token, StringComparison.Ordinal)
                .Replace("ENTITY", $"f{random.Next():x}.example", StringComparison.Ordinal)
                .Replace("NONCE", Requests.Nonce(), StringComparison.Ordinal)
                .Replace("NOW", Requests.Now(), StringComparison.Ordinal);
            var bytes = new List<byte>(Encoding.UTF8.GetBytes(template));
            var mutations = random.Next(1, 5);
            for (var m = 0; m < mutations; m++)
            {
                Mutate(bytes);
            }

            // Several long inserts could pass the line limit; only Oversized() frames may (one byte is kept spare
            // for the 'x' below).
            if (bytes.Count >= lineLimit)
            {
                bytes.RemoveRange(lineLimit - 1, bytes.Count - lineLimit + 1);
            }

            for (var i = 0; i < bytes.Count; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    bytes[i] = (byte)' ';
                }
            }

            // A frame that is empty, or only a carriage return, is a blank line, which gets no answer.
            return bytes.Count == 0 || bytes is [(byte)'\r'] || bytes[^1] == (byte)'\r' ? [.. bytes, (byte)'x'] : [.. bytes];
        }

        public byte[] Oversized()
        {
            var bytes = new byte[lineLimit + 1 + random.Next(10_000)];
            Array.Fill(bytes, (byte)'a');
            "{\"command\":\"VERIFY\",\"entity\":\""u8.CopyTo(bytes);
            return bytes;
        }

        private void Mutate(List<byte> bytes)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(9))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.InsertRange(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 16)));
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 4 when bytes.Count > 0:
                    var length = Math.Min(bytes.Count - at, random.Next(1, 64));
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                case 5:
                    // Nesting past the depth limit.
                    var depth = random.Next(20, 200);
                    bytes.InsertRange(at, Enumerable.Repeat((byte)'[', depth).Concat(Enumerable.Repeat((byte)']', depth)));
                    break;
                case 6:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes($"\"{new string('x', random.Next(1, 20_000))}\""));
                    break;
                case 7:
                    bytes.Insert(at, (byte)random.Next(0x00, 0x20));
                    break;
                default:
                    var command = Encoding.UTF8.GetString([.. bytes]).Replace("\"command\":\"", "\"command\":\"" + (char)random.Next('A', 'Z' + 1), StringComparison.Ordinal);
                    bytes.Clear();
                    bytes.AddRange(Encoding.UTF8.GetBytes(command));
                    break;
            }
        }
    }
}
