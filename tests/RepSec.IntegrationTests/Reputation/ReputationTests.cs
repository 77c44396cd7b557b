using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.IntegrationTests.Transparency;

namespace RepSec.IntegrationTests.Reputation;

/// <summary>The reputation extension over the wire, on the default (SQLite) store: reports, reputons, the feed, the operator's controls.</summary>
public sealed class ReputationTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _alice = null!;
    private string _bob = null!;
    private string _auditor = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _alice = await _server.IssueTokenAsync("alice", Role.Registrant);
        _bob = await _server.IssueTokenAsync("bob", Role.Registrant);
        _auditor = await _server.IssueTokenAsync("audra", Role.Auditor);
        _admin = await _server.IssueTokenAsync("root", Role.Admin);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> RequestAsync(string line)
    {
        await using var wire = await _server.ConnectAsync();
        return await wire.RequestAsync(line);
    }

    private Task<JsonElement> ReportAsync(string entity, string token, string assertion, double rating, double? confidence = null, object? extra = null) =>
        RequestAsync(ReputationRequests.Report(entity, token, assertion, rating, confidence, extra));

    private static JsonElement Reputon(JsonElement answer, string assertion) =>
        Assert.Single(answer.GetProperty("reputons").EnumerateArray(), r => r.Str("assertion") == assertion);

    [Fact]
    public async Task Two_reporters_aggregate_into_one_reputon_weighted_by_confidence()
    {
        var first = await ReportAsync("Spammer.Example", _alice, "spam", 0.9);
        Assert.Equal(200, first.Status());
        Assert.Equal(("spammer.example", "domain", "spam"), (first.Str("entity"), first.Str("type"), first.Str("assertion")));
        Assert.Equal(first.GetProperty("log_index").GetInt64(), first.GetProperty("report_id").GetInt64());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("superseded").ValueKind);
        Assert.Equal(200, (await ReportAsync("spammer.example", _bob, "spam", 0.5, confidence: 0.5)).Status());

        var answer = await RequestAsync("""{"command":"REPUTATION","entity":"spammer.example"}""");
        Assert.Equal(200, answer.Status());
        Assert.False(answer.GetProperty("allowlisted").GetBoolean());
        var reputon = Reputon(answer, "spam");
        var hello = await RequestAsync("""{"command":"HELLO"}""");
        var extension = Assert.Single(hello.GetProperty("extensions").EnumerateArray(), e => e.Str("name") == "reputation");
        Assert.Equal(extension.Str("rater"), reputon.Str("rater"));
        Assert.Equal("spammer.example", reputon.Str("rated"));
        // (0.9 x 1 + 0.5 x 0.5) / (1 + 0.5); confidence = 1.5 / (1.5 + 1); both fresh, so decay is nil at three decimals.
        Assert.Equal(0.767, reputon.GetProperty("rating").GetDouble());
        Assert.Equal(0.6, reputon.GetProperty("confidence").GetDouble());
        Assert.Equal(0.767, reputon.GetProperty("normal-rating").GetDouble());
        Assert.Equal(2, reputon.GetProperty("sample-size").GetInt64());
        var generated = reputon.GetProperty("generated").GetInt64();
        Assert.InRange(generated, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Equal(generated + 3600, reputon.GetProperty("expires").GetInt64());
    }

    [Fact]
    public async Task Every_report_is_a_leaf_of_the_verified_audit_log()
    {
        Assert.Equal(200, (await ReportAsync("audited.example", _alice, "phishing", 1)).Status());
        Assert.Equal(200, (await ReportAsync("audited.example", _bob, "malware", 0.7)).Status());

        var audit = await RequestAsync(Requests.Audit("audited.example", _auditor, "domain"));
        Assert.Equal(200, audit.Status());
        var publishedKey = File.ReadAllText(Path.Combine(_server.DataDirectory, "log-key.pub")).Trim();
        Assert.Null(AuditProofs.Check(audit, publishedKey, "audited.example"));
        Assert.Equal([("report", "alice"), ("report", "bob")],
            audit.GetProperty("entries").EnumerateArray().Select(e => (e.Str("action"), e.Str("actor"))));
    }

    [Fact]
    public async Task The_offline_log_audit_checks_every_report_against_its_entry_and_catches_an_edit()
    {
        Assert.Equal(200, (await ReportAsync("edited.example", _alice, "spam", 0.25, extra: new { evidence = "header dump", expires = "2027-01-01T00:00:00.1234567Z" })).Status());
        Assert.Equal(200, (await ReportAsync("edited.example", _bob, "spam", 0.5)).Status());
        var database = new RepSec.Storage.Sqlite.SqliteDatabase(_server.DataDirectory);
        var clean = RepSec.Storage.Sqlite.SqliteLogAudit.Run(database);
        Assert.True(clean.Verified, string.Join("; ", clean.Problems));
        Assert.Equal(2, clean.Reports);

        // Withdrawal purges alice's evidence; the kept hash still lets her report recompute, so an edit still shows.
        var aliceReport = (await RequestAsync("""{"command":"REPUTATION","entity":"edited.example","reports":true,"auth":"AUDITOR"}""".Replace("AUDITOR", _auditor, StringComparison.Ordinal)))
            .GetProperty("reports").EnumerateArray().Single(r => r.Str("reporter") == "alice").GetProperty("report_id").GetInt64();
        Assert.Equal(200, (await RequestAsync(ReputationRequests.Withdraw(aliceReport, _alice))).Status());
        var withdrawn = RepSec.Storage.Sqlite.SqliteLogAudit.Run(database);
        Assert.True(withdrawn.Verified, string.Join("; ", withdrawn.Problems));

        // The operator quietly turns alice's 0.25 into a 1.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database.FilePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var edit = connection.CreateCommand();
            edit.CommandText = "UPDATE reports SET rating = 1 WHERE reporter = 'alice'";
            Assert.Equal(1, await edit.ExecuteNonQueryAsync());
        }

        var edited = RepSec.Storage.Sqlite.SqliteLogAudit.Run(database);
        Assert.False(edited.Verified);
        Assert.Contains(edited.Problems, p => p.Contains("no longer matches the log entry that recorded it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_report_drops_the_cached_rdap_answer_so_the_next_lookup_carries_it()
    {
        Assert.Equal(200, (await RequestAsync(Requests.Register("cached.example", "domain", _alice))).Status());
        using var http = _server.RdapHttp();
        static int Reputons(string json) => JsonDocument.Parse(json).RootElement.GetProperty("repsec_reputation").GetProperty("reputons").GetArrayLength();
        Assert.Equal(0, Reputons(await http.GetStringAsync("domain/cached.example")));
        Assert.Equal(0, Reputons(await http.GetStringAsync("domain/cached.example")));

        Assert.Equal(200, (await ReportAsync("cached.example", _bob, "spam", 0.6)).Status());
        Assert.Equal(1, Reputons(await http.GetStringAsync("domain/cached.example")));
    }

    [Fact]
    public async Task An_entity_nobody_reported_has_an_empty_reputons_array()
    {
        var answer = await RequestAsync("""{"command":"REPUTATION","entity":"quiet.example","type":"domain"}""");
        Assert.Equal(200, answer.Status());
        Assert.Equal(0, answer.GetProperty("reputons").GetArrayLength());
        Assert.False(answer.TryGetProperty("reports", out _));
    }

    [Fact]
    public async Task A_second_report_within_the_interval_is_429_with_retry_after()
    {
        Assert.Equal(200, (await ReportAsync("often.example", _alice, "abuse", 0.8)).Status());
        var again = await ReportAsync("often.example", _alice, "abuse", 0.9);
        Assert.Equal((429, "report_too_soon"), (again.Status(), again.Error()));
        Assert.InRange(again.GetProperty("retry_after").GetInt32(), 3590, 3600);
        // Another assertion, or another reporter, is not limited.
        Assert.Equal(200, (await ReportAsync("often.example", _alice, "spam", 0.8)).Status());
        Assert.Equal(200, (await ReportAsync("often.example", _bob, "abuse", 0.8)).Status());
        Assert.Equal(2, Reputon(await RequestAsync("""{"command":"REPUTATION","entity":"often.example"}"""), "abuse").GetProperty("sample-size").GetInt64());
    }

    [Fact]
    public async Task Reports_are_counted_by_assertion_and_outcome()
    {
        var counts = new System.Collections.Concurrent.ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var factory = _server.Host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == "repsec.reputation.reports")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var tagged = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            counts.AddOrUpdate($"{tagged["assertion"]} {tagged["outcome"]}", value, (_, count) => count + value);
        });
        listener.Start();

        Assert.Equal(200, (await ReportAsync("counted.example", _alice, "malware", 1)).Status());
        Assert.Equal(429, (await ReportAsync("counted.example", _alice, "malware", 1)).Status());
        Assert.Equal(200, (await ReportAsync("counted.example", _bob, "malware", 1)).Status());

        Assert.Equal(2, counts.GetValueOrDefault("malware new"));
        Assert.Equal(1, counts.GetValueOrDefault("malware too_soon"));
    }

    [Fact]
    public async Task Withdrawal_is_the_reporters_own_and_takes_the_report_out()
    {
        var report = await ReportAsync("mistake.example", _alice, "malware", 1, extra: new { evidence = "sample hash 0f3c" });
        Assert.Equal(200, (await ReportAsync("mistake.example", _bob, "malware", 0.2)).Status());
        var id = report.GetProperty("report_id").GetInt64();

        var foreign = await RequestAsync(ReputationRequests.Withdraw(id, _bob));
        Assert.Equal((403, "not_reporter"), (foreign.Status(), foreign.Error()));
        var unknown = await RequestAsync(ReputationRequests.Withdraw(999_999, _alice));
        Assert.Equal((404, "not_found"), (unknown.Status(), unknown.Error()));
        var withdrawn = await RequestAsync(ReputationRequests.Withdraw(id, _alice));
        Assert.Equal(200, withdrawn.Status());
        Assert.Equal(id, withdrawn.GetProperty("report_id").GetInt64());
        var twice = await RequestAsync(ReputationRequests.Withdraw(id, _alice));
        Assert.Equal((409, "already_withdrawn"), (twice.Status(), twice.Error()));

        var reputon = Reputon(await RequestAsync("""{"command":"REPUTATION","entity":"mistake.example"}"""), "malware");
        Assert.Equal((0.2, 1L), (reputon.GetProperty("rating").GetDouble(), reputon.GetProperty("sample-size").GetInt64()));
        var audit = await RequestAsync(Requests.Audit("mistake.example", _auditor));
        Assert.Equal(["report", "report", "report_withdraw"], audit.GetProperty("entries").EnumerateArray().Select(e => e.Str("action")));
    }

    [Fact]
    public async Task Reporters_and_evidence_are_shown_only_as_policy_allows()
    {
        Assert.Equal(200, (await ReportAsync("private.example", _alice, "spam", 0.9, extra: new { evidence = "Received: from mx.private.example", categories = new[] { "bulk", "botnet" } })).Status());
        const string Ask = """{"command":"REPUTATION","entity":"private.example","reports":true}""";

        var anonymous = Assert.Single((await RequestAsync(Ask)).GetProperty("reports").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("reporter").ValueKind);
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("evidence").ValueKind);
        Assert.Equal(["bulk", "botnet"], anonymous.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));

        var asBob = Assert.Single((await RequestAsync(Ask.Replace("}", $",\"auth\":\"{_bob}\"}}", StringComparison.Ordinal))).GetProperty("reports").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, asBob.GetProperty("reporter").ValueKind);
        var asAlice = Assert.Single((await RequestAsync(Ask.Replace("}", $",\"auth\":\"{_alice}\"}}", StringComparison.Ordinal))).GetProperty("reports").EnumerateArray());
        Assert.Equal(("alice", "Received: from mx.private.example"), (asAlice.Str("reporter"), asAlice.Str("evidence")));
        var asAuditor = Assert.Single((await RequestAsync(Ask.Replace("}", $",\"auth\":\"{_auditor}\"}}", StringComparison.Ordinal))).GetProperty("reports").EnumerateArray());
        Assert.Equal("alice", asAuditor.Str("reporter"));
    }

    [Fact]
    public async Task The_change_feed_returns_each_changed_entity_once_and_its_cursor_resumes()
    {
        Assert.Equal(200, (await ReportAsync("one.example", _alice, "spam", 0.9)).Status());
        Assert.Equal(200, (await ReportAsync("two.example", _alice, "spam", 0.9)).Status());
        Assert.Equal(200, (await ReportAsync("one.example", _bob, "spam", 0.7)).Status());

        var first = await RequestAsync("""{"command":"CHANGES","limit":1}""");
        Assert.Equal(200, first.Status());
        Assert.True(first.GetProperty("more").GetBoolean());
        Assert.Equal("two.example", Assert.Single(first.GetProperty("changes").EnumerateArray()).Str("entity"));
        var rest = await RequestAsync($$"""{"command":"CHANGES","cursor":"{{first.Str("cursor")}}"}""");
        var changed = Assert.Single(rest.GetProperty("changes").EnumerateArray());
        Assert.Equal("one.example", changed.Str("entity"));
        Assert.Equal(2, Reputon(changed, "spam").GetProperty("sample-size").GetInt64());
        Assert.False(rest.GetProperty("more").GetBoolean());

        var idle = await RequestAsync($$"""{"command":"CHANGES","cursor":"{{rest.Str("cursor")}}"}""");
        Assert.Equal(0, idle.GetProperty("changes").GetArrayLength());
        Assert.Equal(rest.Str("cursor"), idle.Str("cursor"));

        Assert.Equal(200, (await ReportAsync("two.example", _bob, "spam", 0.1)).Status());
        var next = await RequestAsync($$"""{"command":"CHANGES","cursor":"{{idle.Str("cursor")}}"}""");
        Assert.Equal("two.example", Assert.Single(next.GetProperty("changes").EnumerateArray()).Str("entity"));
    }

    [Theory]
    [InlineData("""{"command":"CHANGES","cursor":"not-a-cursor"}""", "invalid_cursor")]
    [InlineData("""{"command":"CHANGES","cursor":"AQAAAA+AAAAA"}""", "invalid_cursor")]
    [InlineData("""{"command":"CHANGES","cursor":"AgAAAAAAAAAA"}""", "invalid_cursor")]
    [InlineData("""{"command":"CHANGES","cursor":7}""", "invalid_parameter")]
    [InlineData("""{"command":"CHANGES","cursor":"AQAA\ud800AAAAAAAA"}""", "invalid_parameter")]
    [InlineData("""{"command":"CHANGES","limit":0}""", "invalid_parameter")]
    [InlineData("""{"command":"CHANGES","limit":1001}""", "invalid_parameter")]
    [InlineData("""{"command":"REPUTATION"}""", "missing_parameter")]
    [InlineData("""{"command":"REPUTATION","entity":"x.example","reports":"yes"}""", "invalid_parameter")]
    [InlineData("""{"command":"REPUTATION","entity":"bad entity!","type":"domain"}""", "invalid_entity")]
    public async Task Malformed_reads_are_400s(string line, string error)
    {
        var answer = await RequestAsync(line);
        Assert.Equal((400, error), (answer.Status(), answer.Error()));
    }

    [Theory]
    [InlineData("assertion", "\"eats-cookies\"", "invalid_parameter")]
    [InlineData("assertion", "null", "invalid_parameter")]
    [InlineData("rating", "1.5", "invalid_parameter")]
    [InlineData("rating", "-0.1", "invalid_parameter")]
    [InlineData("rating", "\"0.5\"", "invalid_parameter")]
    [InlineData("confidence", "2", "invalid_parameter")]
    [InlineData("categories", "[\"Bad Token\"]", "invalid_parameter")]
    [InlineData("categories", "[\"a\",\"a\"]", "invalid_parameter")]
    [InlineData("categories", "\"a\"", "invalid_parameter")]
    [InlineData("categories", "[\"\\udc00\"]", "invalid_parameter")]
    [InlineData("evidence", "\"lone \\ud800 surrogate\"", "invalid_parameter")]
    [InlineData("expires", "\"2020-01-01T00:00:00Z\"", "invalid_parameter")]
    [InlineData("expires", "\"2999-01-01T00:00:00Z\"", "invalid_parameter")]
    [InlineData("expires", "\"tomorrow\"", "invalid_parameter")]
    public async Task Malformed_reports_are_400s_and_nothing_is_stored(string member, string rawValue, string error)
    {
        var line = ReputationRequests.Report("malformed.example", _alice, "spam", 0.5, null, null);
        line = System.Text.RegularExpressions.Regex.Replace(line, $"\"{member}\":(\"[^\"]*\"|[^,}}]+)", "");
        line = line.Replace("{,", "{", StringComparison.Ordinal).Replace(",,", ",", StringComparison.Ordinal).Replace(",}", "}", StringComparison.Ordinal);
        line = line.Insert(1, $"\"{member}\":{rawValue},");
        var answer = await RequestAsync(line);
        Assert.Equal((400, error), (answer.Status(), answer.Error()));
        Assert.Equal(0, (await RequestAsync("""{"command":"REPUTATION","entity":"malformed.example"}""")).GetProperty("reputons").GetArrayLength());
    }

    [Fact]
    public async Task Reports_need_a_registrant_and_replay_protection()
    {
        var anonymous = await RequestAsync(ReputationRequests.Report("x.example", null, "spam", 1, null, null));
        Assert.Equal((401, "auth_required"), (anonymous.Status(), anonymous.Error()));
        var auditor = await ReportAsync("x.example", _auditor, "spam", 1);
        Assert.Equal(403, auditor.Status());
        var line = ReputationRequests.Report("x.example", _alice, "spam", 1, null, null);
        Assert.Equal(200, (await RequestAsync(line)).Status());
        var replayed = await RequestAsync(line);
        Assert.Equal((409, "replayed_nonce"), (replayed.Status(), replayed.Error()));
    }

    [Fact]
    public async Task An_allowlisted_entity_says_so_and_its_negative_assertions_do_not_hold()
    {
        Assert.Equal(200, (await ReportAsync("partner.example", _alice, "spam", 1)).Status());
        var refused = await RequestAsync(ReputationRequests.Allowlist("partner.example", _alice, "add", "our partner"));
        Assert.Equal(403, refused.Status());

        var added = await RequestAsync(ReputationRequests.Allowlist("partner.example", _admin, "add", "our partner's outbound relay"));
        Assert.Equal(200, added.Status());
        var answer = await RequestAsync("""{"command":"REPUTATION","entity":"partner.example"}""");
        Assert.True(answer.GetProperty("allowlisted").GetBoolean());
        Assert.Equal("our partner's outbound relay", answer.GetProperty("allowlist").Str("reason"));
        Assert.False(answer.GetProperty("allowlist").TryGetProperty("added_by", out _));
        var reputon = Reputon(answer, "spam");
        Assert.Equal((0.0, 1.0, 1L), (reputon.GetProperty("rating").GetDouble(), reputon.GetProperty("confidence").GetDouble(), reputon.GetProperty("sample-size").GetInt64()));
        Assert.True(reputon.GetProperty("repsec-allowlisted").GetBoolean());

        Assert.Equal(200, (await RequestAsync(ReputationRequests.Allowlist("partner.example", _admin, "remove", null))).Status());
        var missing = await RequestAsync(ReputationRequests.Allowlist("partner.example", _admin, "remove", null));
        Assert.Equal((404, "not_found"), (missing.Status(), missing.Error()));
        Assert.Equal(1.0, Reputon(await RequestAsync("""{"command":"REPUTATION","entity":"partner.example"}"""), "spam").GetProperty("rating").GetDouble());
        var audit = await RequestAsync(Requests.Audit("partner.example", _auditor));
        Assert.Equal(["report", "allowlist_add", "allowlist_remove"], audit.GetProperty("entries").EnumerateArray().Select(e => e.Str("action")));
    }

    [Fact]
    public async Task Lowering_a_reporters_trust_reweights_what_they_already_reported()
    {
        Assert.Equal(200, (await ReportAsync("contested.example", _alice, "phishing", 1)).Status());
        Assert.Equal(200, (await ReportAsync("contested.example", _bob, "phishing", 0)).Status());
        Assert.Equal(0.5, Reputon(await RequestAsync("""{"command":"REPUTATION","entity":"contested.example"}"""), "phishing").GetProperty("rating").GetDouble());

        var set = await RequestAsync(ReputationRequests.Trust("alice", 0.25, _admin));
        Assert.Equal(200, set.Status());
        var reputon = Reputon(await RequestAsync("""{"command":"REPUTATION","entity":"contested.example"}"""), "phishing");
        // (0.25 x 1 + 1 x 0) / 1.25; confidence 1.25 / 2.25.
        Assert.Equal((0.2, 0.556), (reputon.GetProperty("rating").GetDouble(), reputon.GetProperty("confidence").GetDouble()));

        var levels = await RequestAsync($$"""{"command":"TRUST","auth":"{{_admin}}","nonce":"{{Requests.Nonce()}}","timestamp":"{{Requests.Now()}}"}""");
        Assert.Equal(0.25, levels.GetProperty("levels").GetProperty("alice").GetDouble());
        var unknown = await RequestAsync(ReputationRequests.Trust("nobody", 0.5, _admin));
        Assert.Equal((404, "not_found"), (unknown.Status(), unknown.Error()));
        var notAdmin = await RequestAsync(ReputationRequests.Trust("bob", 1, _alice));
        Assert.Equal(403, notAdmin.Status());
    }
}

/// <summary>Request lines of the reputation extension.</summary>
public static class ReputationRequests
{
    public static string Report(string entity, string? token, string assertion, double rating, double? confidence, object? extra)
    {
        var members = new Dictionary<string, object?>
        {
            ["command"] = "REPORT", ["entity"] = entity, ["assertion"] = assertion, ["rating"] = rating, ["confidence"] = confidence,
            ["auth"] = token, ["nonce"] = Requests.Nonce(), ["timestamp"] = Requests.Now(),
        };
        if (extra is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(extra).EnumerateObject())
            {
                members[property.Name] = property.Value;
            }
        }

        return Json(members);
    }

    public static string Withdraw(long id, string token) =>
        Json(new() { ["command"] = "WITHDRAW", ["report"] = id, ["auth"] = token, ["nonce"] = Requests.Nonce(), ["timestamp"] = Requests.Now() });

    public static string Allowlist(string entity, string token, string action, string? reason) =>
        Json(new()
        {
            ["command"] = "ALLOWLIST", ["entity"] = entity, ["action"] = action, ["reason"] = reason,
            ["auth"] = token, ["nonce"] = Requests.Nonce(), ["timestamp"] = Requests.Now(),
        });

    public static string Trust(string principal, double trust, string token) =>
        Json(new() { ["command"] = "TRUST", ["principal"] = principal, ["trust"] = trust, ["auth"] = token, ["nonce"] = Requests.Nonce(), ["timestamp"] = Requests.Now() });

    private static string Json(Dictionary<string, object?> members) =>
        JsonSerializer.Serialize(members.Where(m => m.Value is not null).ToDictionary(m => m.Key, m => m.Value));
}
