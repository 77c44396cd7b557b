using System.Text.Json;
using Microsoft.Data.Sqlite;
using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Sqlite;

/// <summary>
/// The writer's reputation statements (parameterized only), run inside the group-commit transaction: reports,
/// the maintained aggregates, the allowlist, reporter trust and the change feed.
/// </summary>
internal sealed class ReputationStatements : IDisposable
{
    private readonly SqliteCommand _latest;
    private readonly SqliteCommand _report;
    private readonly SqliteCommand _trust;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _end;
    private readonly SqliteCommand _aggregate;
    private readonly SqliteCommand _saveAggregate;
    private readonly SqliteCommand _dropAggregate;
    private readonly SqliteCommand _norm;
    private readonly SqliteCommand _saveNorm;
    private readonly SqliteCommand _touch;
    private readonly SqliteCommand _allow;
    private readonly SqliteCommand _disallow;
    private readonly SqliteCommand _principalExists;
    private readonly SqliteCommand _setTrust;
    private readonly SqliteCommand _countedBy;
    private readonly SqliteCommand _reweight;
    private readonly SqliteCommand _expired;
    private readonly SqliteCommand _purgeEvidence;
    private readonly SqliteCommand[] _all;

    // What the open transaction changed in the reputation served, in order; applied to the index after its commit.
    private readonly List<Action<EntityIndex>> _served = [];

    public ReputationStatements(SqliteConnection connection)
    {
        _latest = Statements.Create(connection, """
            SELECT id, reported_at, ended_at IS NULL FROM reports
            WHERE reporter = $reporter AND type = $type AND key = $key AND assertion = $assertion ORDER BY id DESC LIMIT 1
            """, "$reporter", "$type", "$key", "$assertion");
        _report = Statements.Create(connection, $"SELECT {ReportColumns} FROM reports WHERE id = $id", "$id");
        _trust = Statements.Create(connection, "SELECT trust FROM reporter_trust WHERE principal = $principal", "$principal");
        _insert = Statements.Create(connection, """
            INSERT INTO reports (id, type, key, value, reporter, assertion, rating, confidence, weight, categories, evidence, evidence_sha256, reported_at, expires_at)
            VALUES ($id, $type, $key, $value, $reporter, $assertion, $rating, $confidence, $weight, $categories, $evidence, $evidenceSha256, $at, $expires)
            """, "$id", "$type", "$key", "$value", "$reporter", "$assertion", "$rating", "$confidence", "$weight", "$categories", "$evidence", "$evidenceSha256", "$at", "$expires");
        _end = Statements.Create(connection, """
            UPDATE reports SET ended_at = $at, ended = $why, evidence = CASE WHEN $purge THEN NULL ELSE evidence END WHERE id = $id
            """, "$id", "$at", "$why", "$purge");
        _aggregate = Statements.Create(connection,
            "SELECT count, weight, rated, at FROM reputation_aggregates WHERE type = $type AND key = $key AND assertion = $assertion",
            "$type", "$key", "$assertion");
        _saveAggregate = Statements.Create(connection, """
            INSERT INTO reputation_aggregates (type, key, assertion, count, weight, rated, at) VALUES ($type, $key, $assertion, $count, $weight, $rated, $at)
            ON CONFLICT (type, key, assertion) DO UPDATE SET count = excluded.count, weight = excluded.weight, rated = excluded.rated, at = excluded.at
            """, "$type", "$key", "$assertion", "$count", "$weight", "$rated", "$at");
        _dropAggregate = Statements.Create(connection,
            "DELETE FROM reputation_aggregates WHERE type = $type AND key = $key AND assertion = $assertion", "$type", "$key", "$assertion");
        _norm = Statements.Create(connection, "SELECT count, weight, rated, at FROM reputation_norms WHERE assertion = $assertion", "$assertion");
        _saveNorm = Statements.Create(connection, """
            INSERT INTO reputation_norms (assertion, count, weight, rated, at) VALUES ($assertion, $count, $weight, $rated, $at)
            ON CONFLICT (assertion) DO UPDATE SET count = excluded.count, weight = excluded.weight, rated = excluded.rated, at = excluded.at
            """, "$assertion", "$count", "$weight", "$rated", "$at");
        // The feed position is one past the highest (read through the UNIQUE index); the writer holds the write lock.
        _touch = Statements.Create(connection, """
            INSERT INTO reputation_changes (type, key, value, seq, changed_at)
            VALUES ($type, $key, $value, (SELECT COALESCE(MAX(seq), 0) + 1 FROM reputation_changes), $at)
            ON CONFLICT (type, key) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at
            """, "$type", "$key", "$value", "$at");
        _allow = Statements.Create(connection, """
            INSERT INTO allowlist (type, key, value, reason, added_by, added_at) VALUES ($type, $key, $value, $reason, $by, $at)
            ON CONFLICT (type, key) DO UPDATE SET reason = excluded.reason, added_by = excluded.added_by, added_at = excluded.added_at
            """, "$type", "$key", "$value", "$reason", "$by", "$at");
        _disallow = Statements.Create(connection, "DELETE FROM allowlist WHERE type = $type AND key = $key", "$type", "$key");
        _principalExists = Statements.Create(connection, "SELECT 1 FROM principals WHERE name = $name", "$name");
        _setTrust = Statements.Create(connection, """
            INSERT INTO reporter_trust (principal, trust, set_by, set_at) VALUES ($principal, $trust, $by, $at)
            ON CONFLICT (principal) DO UPDATE SET trust = excluded.trust, set_by = excluded.set_by, set_at = excluded.set_at
            """, "$principal", "$trust", "$by", "$at");
        _countedBy = Statements.Create(connection,
            $"SELECT {ReportColumns} FROM reports WHERE reporter = $reporter AND ended_at IS NULL ORDER BY id", "$reporter");
        _reweight = Statements.Create(connection, "UPDATE reports SET weight = $weight WHERE id = $id", "$id", "$weight");
        _expired = Statements.Create(connection,
            $"SELECT {ReportColumns} FROM reports WHERE ended_at IS NULL AND expires_at <= $now ORDER BY expires_at LIMIT 1000", "$now");
        _purgeEvidence = Statements.Create(connection,
            "UPDATE reports SET evidence = NULL WHERE evidence IS NOT NULL AND reported_at < $cutoff", "$cutoff");
        _all = [_latest, _report, _trust, _insert, _end, _aggregate, _saveAggregate, _dropAggregate, _norm, _saveNorm, _touch, _allow, _disallow,
            _principalExists, _setTrust, _countedBy, _reweight, _expired, _purgeEvidence];
    }

    /// <summary>The columns <see cref="ReadReport"/> reads, in order.</summary>
    public const string ReportColumns =
        "id, type, key, value, reporter, assertion, rating, confidence, weight, categories, evidence, reported_at, expires_at, ended_at";

    /// <summary>Forgets the changes a batch made to the reputation served (its transaction is new, or was rolled back).</summary>
    public void Begin() => _served.Clear();

    /// <summary>Brings the reputation served up to the committed batch, in the order it changed it.</summary>
    public void Committed(EntityIndex index)
    {
        foreach (var change in _served)
        {
            change(index);
        }

        _served.Clear();
    }

    public void Enlist(SqliteTransaction? transaction)
    {
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }
    }

    /// <summary>The reporter's latest report of the entity and assertion: its id, time, and whether it still counts.</summary>
    public (long Id, long At, bool Counted)? Latest(string reporter, string type, string key, string assertion)
    {
        Bind(_latest, reporter, type, key, assertion);
        using var reader = _latest.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2) == 1) : null;
    }

    public StoredReport? Report(long id)
    {
        Bind(_report, id);
        using var reader = _report.ExecuteReader();
        return reader.Read() ? ReadReport(reader) : null;
    }

    public double? Trust(string principal)
    {
        Bind(_trust, principal);
        return _trust.ExecuteScalar() is double trust ? trust : null;
    }

    public void Insert(ReportDraft report, long id, double weight)
    {
        Bind(_insert, id, report.Type.ToWire(), report.Key, report.Value, report.Reporter, report.Assertion, report.Rating, report.Confidence, weight,
            JsonSerializer.Serialize(report.Categories), report.Evidence, report.EvidenceSha256, report.At.ToUnixTimeMilliseconds(), report.Expires.ToUnixTimeMilliseconds());
        _insert.ExecuteNonQuery();
    }

    /// <summary>Marks a report as no longer counted; <paramref name="purgeEvidence"/> clears its evidence too.</summary>
    public void End(long id, DateTimeOffset at, string why, bool purgeEvidence)
    {
        Bind(_end, id, at.ToUnixTimeMilliseconds(), why, purgeEvidence ? 1L : 0L);
        _end.ExecuteNonQuery();
    }

    /// <summary>Adds (<paramref name="sign"/> +1) or takes out (-1) a report's share of its entity's aggregate and its assertion's norm.</summary>
    public void Apply(StoredReportShare share, int sign, DateTimeOffset now, double halfLifeDays)
    {
        Bind(_aggregate, share.Type, share.Key, share.Assertion);
        var aggregate = Shift(ReadAggregate(_aggregate), share, sign, now, halfLifeDays);
        if (aggregate.Count == 0)
        {
            Bind(_dropAggregate, share.Type, share.Key, share.Assertion);
            _dropAggregate.ExecuteNonQuery();
        }
        else
        {
            Bind(_saveAggregate, share.Type, share.Key, share.Assertion, aggregate.Count, aggregate.Weight, aggregate.Rated, aggregate.At.ToUnixTimeMilliseconds());
            _saveAggregate.ExecuteNonQuery();
        }

        Bind(_norm, share.Assertion);
        var norm = Shift(ReadAggregate(_norm), share, sign, now, halfLifeDays);
        Bind(_saveNorm, share.Assertion, norm.Count, norm.Weight, norm.Rated, norm.At.ToUnixTimeMilliseconds());
        _saveNorm.ExecuteNonQuery();
        // Served as stored (times to the millisecond), so a restart that loads the rows serves the same.
        var (storedAggregate, storedNorm) = (AsStored(aggregate), AsStored(norm));
        if (EntityTypes.TryParse(share.Type, out var type))
        {
            _served.Add(index => index.SetAggregate(type, share.Key, share.Assertion, storedAggregate));
        }

        _served.Add(index => index.SetNorm(share.Assertion, storedNorm));
    }

    /// <summary>Moves the entity to the end of the change feed.</summary>
    public void Touch(string type, string key, string value, DateTimeOffset at)
    {
        Bind(_touch, type, key, value, at.ToUnixTimeMilliseconds());
        _touch.ExecuteNonQuery();
    }

    public void Allow(AllowlistChange change)
    {
        Bind(_allow, change.Type.ToWire(), change.Key, change.Value, change.Reason, change.Actor, change.At.ToUnixTimeMilliseconds());
        _allow.ExecuteNonQuery();
        var entry = new AllowlistEntry(change.Reason!, change.Actor, DateTimeOffset.FromUnixTimeMilliseconds(change.At.ToUnixTimeMilliseconds()));
        _served.Add(index => index.SetAllowlisted(change.Type, change.Key, entry));
    }

    /// <summary>Removes the entity's allowlist entry; false when it had none.</summary>
    public bool Disallow(AllowlistChange change)
    {
        Bind(_disallow, change.Type.ToWire(), change.Key);
        if (_disallow.ExecuteNonQuery() != 1)
        {
            return false;
        }

        _served.Add(index => index.SetAllowlisted(change.Type, change.Key, null));
        return true;
    }

    public bool PrincipalExists(string name)
    {
        Bind(_principalExists, name);
        return _principalExists.ExecuteScalar() is not null;
    }

    public void SetTrust(TrustChange change)
    {
        Bind(_setTrust, change.Principal, change.Trust, change.Actor, change.At.ToUnixTimeMilliseconds());
        _setTrust.ExecuteNonQuery();
    }

    public List<StoredReport> CountedBy(string reporter)
    {
        Bind(_countedBy, reporter);
        return ReadAll(_countedBy);
    }

    public void Reweight(long id, double weight)
    {
        Bind(_reweight, id, weight);
        _reweight.ExecuteNonQuery();
    }

    /// <summary>Up to 1000 counted reports expired by <paramref name="now"/>.</summary>
    public List<StoredReport> Expired(DateTimeOffset now)
    {
        Bind(_expired, now.ToUnixTimeMilliseconds());
        return ReadAll(_expired);
    }

    public int PurgeEvidence(DateTimeOffset cutoff)
    {
        Bind(_purgeEvidence, cutoff.ToUnixTimeMilliseconds());
        return _purgeEvidence.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in _all)
        {
            command.Dispose();
        }
    }

    /// <summary>Reads a row of <see cref="ReportColumns"/>.</summary>
    public static StoredReport ReadReport(SqliteDataReader reader)
    {
        EntityTypes.TryParse(reader.GetString(1), out var type);
        return new StoredReport(reader.GetInt64(0), type, reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
            reader.GetDouble(6), reader.GetDouble(7), reader.GetDouble(8), JsonSerializer.Deserialize<string[]>(reader.GetString(9)) ?? [],
            reader.IsDBNull(10) ? null : reader.GetString(10), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11)),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(12)), reader.IsDBNull(13) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(13)));
    }

    /// <summary>Reads the (count, weight, rated, at) row a command selects, or the empty aggregate.</summary>
    public static ReputationAggregate ReadAggregate(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new ReputationAggregate(reader.GetInt64(0), reader.GetDouble(1), reader.GetDouble(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)))
            : ReputationAggregate.Empty;
    }

    private static ReputationAggregate AsStored(ReputationAggregate aggregate) =>
        aggregate with { At = DateTimeOffset.FromUnixTimeMilliseconds(aggregate.At.ToUnixTimeMilliseconds()) };

    private static ReputationAggregate Shift(ReputationAggregate aggregate, StoredReportShare share, int sign, DateTimeOffset now, double halfLifeDays) =>
        sign > 0
            ? aggregate.Add(share.Weight, share.Rating, share.MadeAt, now, halfLifeDays)
            : aggregate.Remove(share.Weight, share.Rating, share.MadeAt, now, halfLifeDays);

    private static List<StoredReport> ReadAll(SqliteCommand command)
    {
        var reports = new List<StoredReport>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            reports.Add(ReadReport(reader));
        }

        return reports;
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}

/// <summary>What a report contributes to the aggregates: its subject, assertion, weight, rating and time.</summary>
internal readonly record struct StoredReportShare(string Type, string Key, string Assertion, double Weight, double Rating, DateTimeOffset MadeAt)
{
    public static StoredReportShare Of(StoredReport report) =>
        new(report.Type.ToWire(), report.Key, report.Assertion, report.Weight, report.Rating, report.At);
}
