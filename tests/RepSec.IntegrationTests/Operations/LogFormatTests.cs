using System.Text.Json;

namespace RepSec.IntegrationTests.Operations;

/// <summary><c>--log-format json</c>: every line an object a log shipper can read, with stable event ids.</summary>
public sealed class LogFormatTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("repsec-json-logs-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Json_logs_are_one_object_per_line_with_the_documented_event_ids()
    {
        await using var repsecd = RepsecdProcess.Start(new Dictionary<string, string>(),
            "--log-format", "json", "--data", _data, "--listen", "127.0.0.1", "--repsec-port", "0", "--rdap-port", "0");

        // Until Ready (105) and the search order's line (109), which comes when the sort ends: before or after Ready.
        var entries = new List<JsonElement>();
        while (await repsecd.ReadLineAsync() is { } line)
        {
            using var document = JsonDocument.Parse(line);
            entries.Add(document.RootElement.Clone());
            var seen = entries.Select(e => e.GetProperty("EventId").GetInt32()).ToHashSet();
            if (seen.Contains(105) && seen.Contains(109))
            {
                break;
            }
        }

        Assert.All(entries, entry =>
        {
            Assert.Equal(JsonValueKind.Object, entry.ValueKind);
            Assert.EndsWith("Z", entry.GetProperty("Timestamp").GetString(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("LogLevel").GetString()));
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("Category").GetString()));
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("Message").GetString()));
        });
        var ids = entries.Select(e => e.GetProperty("EventId").GetInt32()).ToList();
        Assert.Equal([100, 104, 103, 102, 101, 105], ids.Where(id => id is >= 100 and < 109));
        var sorted = entries.Single(e => e.GetProperty("EventId").GetInt32() == 109);
        Assert.Equal(0, sorted.GetProperty("State").GetProperty("Count").GetInt32());
        var listening = entries.Single(e => e.GetProperty("EventId").GetInt32() == 100);
        Assert.Matches(@"^127\.0\.0\.1:\d+$", listening.GetProperty("State").GetProperty("Endpoints").GetString());
    }

    [Fact]
    public async Task An_unknown_log_format_is_a_usage_error()
    {
        await using var repsecd = RepsecdProcess.Start(new Dictionary<string, string>(), "--log-format", "xml", "--data", _data);

        Assert.Equal(2, await repsecd.WaitForExitAsync());
    }
}
