using System.Globalization;
using System.Security.Cryptography;
using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;

namespace RepSec.Testing.Contracts;

/// <summary>
/// One edit of stored state behind the store's back, and what the audit's findings must name; <c>PostgresEdit</c> is
/// the same edit where PostgreSQL's constraints need it written otherwise.
/// </summary>
public sealed record TamperCase(string Name, string Edit, string Finding, string? PostgresEdit = null);

/// <summary>The reports whose ids the edits name, and the log index of the registration of the removed entity.</summary>
public sealed record TamperPopulation(long AliceX, long BobX, long AliceY, long BRegistered)
{
    /// <summary>The text with <c>{alice_x}</c>, <c>{bob_x}</c>, <c>{alice_y}</c>, <c>{b_registered}</c> and <c>{at}</c> filled in.</summary>
    public string Fill(string text) => text
        .Replace("{alice_x}", Invariant(AliceX), StringComparison.Ordinal)
        .Replace("{bob_x}", Invariant(BobX), StringComparison.Ordinal)
        .Replace("{alice_y}", Invariant(AliceY), StringComparison.Ordinal)
        .Replace("{b_registered}", Invariant(BRegistered), StringComparison.Ordinal)
        .Replace("{at}", Invariant(TamperMatrix.At.ToUnixTimeMilliseconds()), StringComparison.Ordinal);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The tamper matrix both stores run: one state written through the stores' APIs, and one edit per stored column of
/// every table the audit must answer for, plus a live row deleted and a row the log never recorded inserted.
/// <c>{bytes}</c> in an edit is a binary literal in the store's SQL. A finding names the subject as stored; a deleted
/// token or certificate is named by its principal, since the log commits to its id only by hash.
/// </summary>
public static class TamperMatrix
{
    public const string LiveToken = "0a11ce0000000001";
    public const string RevokedToken = "0a11ce0000000002";
    public const string ForgedToken = "0000000000000bad";
    public static readonly string KeptCertificate = new('a', 64);
    public static readonly string RemovedCertificate = new('b', 64);
    public static readonly string ForgedCertificate = new('c', 64);
    public static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, 123, TimeSpan.Zero);
    public static readonly DateTimeOffset Expires = new(2027, 6, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly byte[] ForgedBytes = [.. Enumerable.Repeat((byte)0xEE, 32)];

    private const double HalfLife = 30;
    private const string OneDay = "86400000";
    private static readonly CanonicalEntity X = Domain("x.example");
    private static readonly CanonicalEntity Y = Domain("y.example");
    private static readonly CanonicalEntity Z = Domain("z.example");
    private static readonly CanonicalEntity W = Domain("w.example");

    public static readonly IReadOnlyList<TamperCase> Cases =
    [
        new("entities.value", "UPDATE entities SET value = 'A.EXAMPLE' WHERE key = 'a.example'", "a.example"),
        new("entities.owner", "UPDATE entities SET owner = 'bob' WHERE key = 'a.example'", "a.example"),
        new("entities.attributes", """UPDATE entities SET attributes = '{"note":"theirs"}' WHERE key = 'a.example'""", "a.example"),
        new("entities.registered_at +1 ms", "UPDATE entities SET registered_at = registered_at + 1 WHERE key = 'a.example'", "a.example"),
        new("entities.registered_at -1 ms", "UPDATE entities SET registered_at = registered_at - 1 WHERE key = 'a.example'", "a.example"),
        new("entities.log_index", "UPDATE entities SET log_index = {b_registered} WHERE key = 'a.example'", "a.example"),
        new("entities DELETE a.example", "DELETE FROM entities WHERE key = 'a.example'", "a.example"),
        new("entities INSERT c.example", "INSERT INTO entities VALUES ('domain', 'c.example', 'c.example', 'alice', NULL, {at}, {b_registered})", "c.example"),

        new("reports.id", "UPDATE reports SET id = id + 100 WHERE id = {alice_y}", "report {alice_y}"),
        new("reports.type", "UPDATE reports SET type = 'ip' WHERE id = {alice_x}", "report {alice_x}"),
        new("reports.key", "UPDATE reports SET key = 'v.example' WHERE id = {alice_x}", "report {alice_x}"),
        new("reports.value", "UPDATE reports SET value = 'v.example' WHERE id = {alice_x}", "report {alice_x}"),
        new("reports.reporter", "UPDATE reports SET reporter = 'mallory' WHERE id = {alice_x}", "report {alice_x}"),
        new("reports.assertion", "UPDATE reports SET assertion = 'phishing' WHERE id = {alice_x}", "report {alice_x}"),
        new("reports.rating", "UPDATE reports SET rating = 0.1 WHERE id = {alice_x}", "report {alice_x}"),
        new("reports.confidence", "UPDATE reports SET confidence = 0.5 WHERE id = {alice_x}", "report {alice_x}"),
        new("reports.weight", "UPDATE reports SET weight = weight * 2 WHERE id = {alice_x}", "report {alice_x}"),
        new("reports.categories", "UPDATE reports SET categories = '[]' WHERE id = {alice_x}", "report {alice_x}"),
        new("reports.evidence", "UPDATE reports SET evidence = 'forged' WHERE id = {alice_x}", "report {alice_x}"),
        new("reports.evidence_sha256", $"UPDATE reports SET evidence_sha256 = '{new string('0', 64)}' WHERE id = {{alice_x}}", "report {alice_x}"),
        new("reports.reported_at", "UPDATE reports SET reported_at = reported_at + 1 WHERE id = {alice_x}", "report {alice_x}"),
        new("reports.expires_at", "UPDATE reports SET expires_at = expires_at + 1 WHERE id = {alice_x}", "report {alice_x}"),
        new("reports.ended_at set on a counted report", "UPDATE reports SET ended_at = reported_at + 1 WHERE id = {alice_y}", "report {alice_y}",
            "UPDATE reports SET ended_at = reported_at + 1, ended = 'expired' WHERE id = {alice_y}"),
        new("reports.ended_at of the withdrawn report", "UPDATE reports SET ended_at = ended_at + 1 WHERE id = {bob_x}", "report {bob_x}"),
        new("reports.ended set on a counted report", "UPDATE reports SET ended = 'withdrawn' WHERE id = {alice_y}", "report {alice_y}",
            "UPDATE reports SET ended = 'withdrawn', ended_at = reported_at + 60000 WHERE id = {alice_y}"),
        new("reports.ended cleared on the withdrawn report", "UPDATE reports SET ended = NULL WHERE id = {bob_x}", "report {bob_x}",
            "UPDATE reports SET ended = NULL, ended_at = NULL WHERE id = {bob_x}"),
        new("reports DELETE a counted report", "DELETE FROM reports WHERE id = {alice_y}", "report {alice_y}"),

        new("reputation_changes.value", "UPDATE reputation_changes SET value = 'v.example' WHERE key = 'x.example'", "x.example"),
        new("reputation_changes.changed_at", "UPDATE reputation_changes SET changed_at = changed_at + 1 WHERE key = 'x.example'", "x.example"),
        new("reputation_changes DELETE x.example", "DELETE FROM reputation_changes WHERE key = 'x.example'", "x.example"),
        new("reputation_changes INSERT q.example", "INSERT INTO reputation_changes VALUES ('domain', 'q.example', 'q.example', 1000, {at})", "q.example"),

        new("reputation_aggregates.count", "UPDATE reputation_aggregates SET count = count + 1 WHERE key = 'x.example'", "x.example"),
        new("reputation_aggregates.weight", "UPDATE reputation_aggregates SET weight = weight * 2 WHERE key = 'x.example'", "x.example"),
        new("reputation_aggregates.rated", "UPDATE reputation_aggregates SET rated = rated * 2 WHERE key = 'x.example'", "x.example"),
        new("reputation_aggregates.at", $"UPDATE reputation_aggregates SET at = at + {OneDay} WHERE key = 'x.example'", "x.example"),
        new("reputation_aggregates DELETE x.example", "DELETE FROM reputation_aggregates WHERE key = 'x.example'", "x.example"),
        new("reputation_aggregates INSERT q.example", "INSERT INTO reputation_aggregates VALUES ('domain', 'q.example', 'spam', 1, 1.0, 0.9, {at})", "q.example"),

        new("reputation_norms.count", "UPDATE reputation_norms SET count = count + 1 WHERE assertion = 'spam'", "spam"),
        new("reputation_norms.weight", "UPDATE reputation_norms SET weight = weight * 2 WHERE assertion = 'spam'", "spam"),
        new("reputation_norms.rated", "UPDATE reputation_norms SET rated = rated * 2 WHERE assertion = 'spam'", "spam"),
        new("reputation_norms.at", $"UPDATE reputation_norms SET at = at + {OneDay} WHERE assertion = 'spam'", "spam"),
        new("reputation_norms DELETE spam", "DELETE FROM reputation_norms WHERE assertion = 'spam'", "spam"),

        new("allowlist.value", "UPDATE allowlist SET value = 'Z.EXAMPLE' WHERE key = 'z.example'", "z.example"),
        new("allowlist.reason", "UPDATE allowlist SET reason = 'a forged reason' WHERE key = 'z.example'", "z.example"),
        new("allowlist.added_by", "UPDATE allowlist SET added_by = 'alice' WHERE key = 'z.example'", "z.example"),
        new("allowlist.added_at", "UPDATE allowlist SET added_at = added_at + 1 WHERE key = 'z.example'", "z.example"),
        new("allowlist DELETE z.example", "DELETE FROM allowlist WHERE key = 'z.example'", "z.example"),
        new("allowlist INSERT the removed w.example", "INSERT INTO allowlist VALUES ('domain', 'w.example', 'w.example', 'a test', 'root', {at})", "w.example"),

        new("reporter_trust.principal", "UPDATE reporter_trust SET principal = 'root' WHERE principal = 'bob'", "bob"),
        new("reporter_trust.trust", "UPDATE reporter_trust SET trust = 0.9 WHERE principal = 'bob'", "bob"),
        new("reporter_trust.set_by", "UPDATE reporter_trust SET set_by = 'alice' WHERE principal = 'bob'", "bob"),
        new("reporter_trust.set_at", "UPDATE reporter_trust SET set_at = set_at + 1 WHERE principal = 'bob'", "bob"),
        new("reporter_trust DELETE bob", "DELETE FROM reporter_trust WHERE principal = 'bob'", "bob"),
        new("reporter_trust INSERT root", "INSERT INTO reporter_trust VALUES ('root', 1.0, 'root', {at})", "root"),

        new("principals.role", "UPDATE principals SET role = 'admin' WHERE name = 'alice'", "alice"),
        new("principals.created_at", "UPDATE principals SET created_at = created_at + 1 WHERE name = 'alice'", "alice"),
        new("principals DELETE bob", "DELETE FROM principals WHERE name = 'bob'", "bob"),
        new("principals INSERT mallory", "INSERT INTO principals VALUES ('mallory', 'admin', {at})", "mallory"),

        new("tokens.principal", $"UPDATE tokens SET principal = 'root' WHERE id = '{LiveToken}'", LiveToken),
        new("tokens.secret_hash", $"UPDATE tokens SET secret_hash = {{bytes}} WHERE id = '{LiveToken}'", LiveToken),
        new("tokens.created_at", $"UPDATE tokens SET created_at = created_at + 1 WHERE id = '{LiveToken}'", LiveToken),
        new("tokens.revoked_at set on the live token", $"UPDATE tokens SET revoked_at = created_at + 1 WHERE id = '{LiveToken}'", LiveToken),
        new("tokens.revoked_at cleared on the revoked token", $"UPDATE tokens SET revoked_at = NULL WHERE id = '{RevokedToken}'", RevokedToken),
        new("tokens DELETE the live token", $"DELETE FROM tokens WHERE id = '{LiveToken}'", "alice"),
        new("tokens INSERT one for root", $"INSERT INTO tokens VALUES ('{ForgedToken}', 'root', {{bytes}}, {{at}}, NULL)", ForgedToken),

        new("client_certificates.fingerprint", $"UPDATE client_certificates SET fingerprint = '{ForgedCertificate}' WHERE fingerprint = '{KeptCertificate}'", ForgedCertificate),
        new("client_certificates.principal", $"UPDATE client_certificates SET principal = 'root' WHERE fingerprint = '{KeptCertificate}'", KeptCertificate),
        new("client_certificates.added_at", $"UPDATE client_certificates SET added_at = added_at + 1 WHERE fingerprint = '{KeptCertificate}'", KeptCertificate),
        new("client_certificates DELETE the kept one", $"DELETE FROM client_certificates WHERE fingerprint = '{KeptCertificate}'", "alice"),
        new("client_certificates INSERT the removed one", $"INSERT INTO client_certificates VALUES ('{RemovedCertificate}', 'alice', {{at}})", RemovedCertificate),

        new("passwords.salt", "UPDATE passwords SET salt = {bytes} WHERE principal = 'alice'", "alice"),
        new("passwords.iterations", "UPDATE passwords SET iterations = iterations + 1 WHERE principal = 'alice'", "alice"),
        new("passwords.hash", "UPDATE passwords SET hash = {bytes} WHERE principal = 'alice'", "alice"),
        new("passwords.realm", "UPDATE passwords SET realm = 'elsewhere' WHERE principal = 'alice'", "alice"),
        new("passwords.digest_sha256", "UPDATE passwords SET digest_sha256 = {bytes} WHERE principal = 'alice'", "alice"),
        new("passwords.digest_md5", "UPDATE passwords SET digest_md5 = {bytes} WHERE principal = 'alice'", "alice"),
        new("passwords.updated_at", "UPDATE passwords SET updated_at = updated_at + 1 WHERE principal = 'alice'", "alice"),
        new("passwords DELETE alice's", "DELETE FROM passwords WHERE principal = 'alice'", "alice"),

        new("contacts.fields", "UPDATE contacts SET fields = replace(fields, 'Alice Example', 'Mallory') WHERE principal = 'alice' AND fields LIKE '%Alice Example%'", "alice"),
        new("contacts.updated_at", "UPDATE contacts SET updated_at = updated_at + 1 WHERE principal = 'alice'", "alice"),
        new("contacts DELETE alice's", "DELETE FROM contacts WHERE principal = 'alice'", "alice"),
    ];

    public static TheoryData<string> Names => [.. Cases.Select(c => c.Name)];

    public static TamperCase Find(string name) => Cases.Single(c => c.Name == name);

    /// <summary>Writes the matrix's state through the stores' APIs, asserting that every write was accepted.</summary>
    public static async Task<TamperPopulation> PopulateAsync<TStore>(TStore store, IPrincipalStore principals)
        where TStore : IRegistryStore, IReputationStore
    {
        await principals.EnsurePrincipalAsync("alice", Role.Registrant);
        await principals.EnsurePrincipalAsync("bob", Role.Registrant);
        await principals.EnsurePrincipalAsync("root", Role.Admin);

        await principals.StoreTokenAsync(LiveToken, "alice", RandomNumberGenerator.GetBytes(32), At);
        await principals.StoreTokenAsync(RevokedToken, "alice", RandomNumberGenerator.GetBytes(32), Minutes(1));
        Assert.True(await principals.RevokeTokenAsync(RevokedToken, Minutes(2)));
        await principals.AddCertificateAsync(KeptCertificate, "alice", Minutes(3));
        await principals.AddCertificateAsync(RemovedCertificate, "alice", Minutes(4));
        Assert.True(await principals.RemoveCertificateAsync(RemovedCertificate));
        var (salt, hash) = PasswordHasher.Hash("alice-password", 1_000);
        await principals.SetPasswordAsync(new PasswordCredential("alice", salt, 1_000, hash, "repsec",
            RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(16), Minutes(5)));
        await principals.SetContactAsync(new Contact("alice",
            new Dictionary<string, string> { [ContactFields.Name] = "Alice Example", [ContactFields.Email] = "alice@example.net" }, Minutes(6)));

        Assert.Equal(WriteStatus.Done, (await store.RegisterAsync(Registration.Create(EntityType.Domain, "a.example", "a.example", "alice", """{"note":"ours"}""", Minutes(7)))).Status);
        var b = await store.RegisterAsync(Registration.Create(EntityType.Domain, "b.example", "b.example", "alice", null, Minutes(8)));
        Assert.Equal(WriteStatus.Done, b.Status);
        Assert.Equal(WriteStatus.Done, (await store.RemoveAsync(Removal.Create(EntityType.Domain, "b.example", "alice", "alice", Minutes(9)))).Status);

        var aliceX = await ReportAsync(store, X, "alice", ReputationAssertions.Spam, 0.9, 0.75, ["botnet"], "Received: from mx.x.example", Minutes(10));
        var bobX = await ReportAsync(store, X, "bob", ReputationAssertions.Spam, 0.6, 1, ["snowshoe"], null, Minutes(11));
        var aliceY = await ReportAsync(store, Y, "alice", ReputationAssertions.Phishing, 1, 1, ["login"], null, Minutes(12));
        Assert.Equal(ReportStatus.Done, (await store.WithdrawAsync(new Withdrawal(bobX, "bob", "bob", Minutes(13)), HalfLife)).Status);

        Assert.Equal(ReportStatus.Done, (await store.SetTrustAsync(TrustChange.Create("bob", 0.5, "root", Minutes(14)), HalfLife)).Status);
        Assert.Equal(ReportStatus.Done, (await store.SetTrustAsync(TrustChange.Create("alice", 0.8, "root", Minutes(15)), HalfLife)).Status);

        Assert.Equal(ReportStatus.Done, (await store.SetAllowlistAsync(AllowlistChange.Add(Z, "a customer's newsletter", "root", Minutes(16)))).Status);
        Assert.Equal(ReportStatus.Done, (await store.SetAllowlistAsync(AllowlistChange.Add(W, "a test", "root", Minutes(17)))).Status);
        Assert.Equal(ReportStatus.Done, (await store.SetAllowlistAsync(AllowlistChange.Remove(W, "root", Minutes(18)))).Status);
        return new TamperPopulation(aliceX, bobX, aliceY, b.LogIndex);
    }

    private static async Task<long> ReportAsync(IReputationStore store, CanonicalEntity entity, string reporter, string assertion, double rating,
        double confidence, IReadOnlyList<string> categories, string? evidence, DateTimeOffset at)
    {
        var draft = ReportDraft.Create(entity, reporter, assertion, rating, confidence, categories, evidence, at, Expires, TimeSpan.Zero);
        var outcome = await store.ReportAsync(draft, defaultTrust: 1, HalfLife);
        Assert.Equal(ReportStatus.Done, outcome.Status);
        return outcome.LogIndex;
    }

    private static DateTimeOffset Minutes(int minutes) => At.AddMinutes(minutes);

    private static CanonicalEntity Domain(string name) => new(EntityType.Domain, name, name);
}

/// <summary>
/// The tamper matrix on one store: the populated state verifies, and every edit of one stored value, each on a
/// freshly populated database, fails the offline audit with a finding that names what was edited.
/// </summary>
public abstract class TamperMatrixTests<TStore>
    where TStore : IRegistryStore, IReputationStore, ITransparencyLogStore, IAsyncDisposable
{
    /// <summary>The registry store and a principal store on this test's database.</summary>
    protected abstract (TStore Store, IPrincipalStore Principals) Open();

    /// <summary>Runs one statement behind the stores' backs; returns the rows it changed.</summary>
    protected abstract Task<int> ExecuteAsync(string sql);

    protected abstract LogAuditReport Audit();

    /// <summary>A binary literal in this store's SQL.</summary>
    protected abstract string Bytes(byte[] value);

    protected virtual string EditOf(TamperCase tamper) => tamper.Edit;

    [SkippableTheory]
    [MemberData(nameof(TamperMatrix.Names), MemberType = typeof(TamperMatrix))]
    public async Task An_edit_of_one_stored_value_fails_the_audit_and_the_findings_name_what_was_edited(string name)
    {
        var population = await PopulateAsync(purge: false);
        await AssertCaughtAsync(TamperMatrix.Find(name), population);
    }

    [SkippableTheory]
    [InlineData("allowlist.reason")]
    [InlineData("tokens.principal")]
    [InlineData("reporter_trust.trust")]
    public async Task After_retention_purge_the_state_still_verifies_and_edits_of_live_state_are_still_caught(string name)
    {
        var population = await PopulateAsync(purge: true);
        await AssertCaughtAsync(TamperMatrix.Find(name), population);
    }

    private async Task<TamperPopulation> PopulateAsync(bool purge)
    {
        var (store, principals) = Open();
        await using (store)
        {
            var population = await TamperMatrix.PopulateAsync(store, principals);
            if (purge)
            {
                // Some principal-store writes are stamped with the clock, not with the times the matrix gives.
                Assert.True(await store.PurgeAsync(DateTimeOffset.UtcNow.AddDays(1)) > 0);
            }

            var verified = Audit();
            Assert.True(verified.Verified, string.Join("; ", verified.Problems));
            return population;
        }
    }

    private async Task AssertCaughtAsync(TamperCase tamper, TamperPopulation population)
    {
        var edit = population.Fill(EditOf(tamper)).Replace("{bytes}", Bytes(TamperMatrix.ForgedBytes), StringComparison.Ordinal);
        Assert.Equal(1, await ExecuteAsync(edit));

        var report = Audit();
        Assert.False(report.Verified, $"the audit did not notice: {edit}");
        var finding = population.Fill(tamper.Finding);
        Assert.Contains(report.Problems, p => p.Contains(finding, StringComparison.Ordinal));
    }
}
