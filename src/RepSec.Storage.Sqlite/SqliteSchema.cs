using Microsoft.Data.Sqlite;

namespace RepSec.Storage.Sqlite;

/// <summary>One schema step: SQL, then optionally code, in the migration's transaction.</summary>
internal sealed record Migration(string Sql, Action<SqliteConnection, SqliteTransaction>? Then = null)
{
    public static implicit operator Migration(string sql) => new(sql);
}

/// <summary>Schema migrations, applied in order; the index of the last one applied is the schema version.</summary>
internal static class SqliteSchema
{
    public static readonly Migration[] Migrations =
    [
        """
        CREATE TABLE principals (
            name        TEXT PRIMARY KEY,
            role        TEXT NOT NULL,
            created_at  INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE tokens (
            id           TEXT PRIMARY KEY,
            principal    TEXT NOT NULL REFERENCES principals(name),
            secret_hash  BLOB NOT NULL,
            created_at   INTEGER NOT NULL,
            revoked_at   INTEGER
        ) STRICT;

        CREATE TABLE client_certificates (
            fingerprint  TEXT PRIMARY KEY,
            principal    TEXT NOT NULL REFERENCES principals(name),
            added_at     INTEGER NOT NULL
        ) STRICT;

        -- One row per registered entity; removal deletes the row, purging its attributes.
        CREATE TABLE entities (
            type           TEXT NOT NULL,
            key            TEXT NOT NULL,
            value          TEXT NOT NULL,
            owner          TEXT NOT NULL,
            attributes     TEXT,
            registered_at  INTEGER NOT NULL,
            log_index      INTEGER NOT NULL,
            PRIMARY KEY (type, key)
        ) STRICT, WITHOUT ROWID;

        -- Append-only history; digest is the record digest a registration committed to.
        CREATE TABLE audit_log (
            log_index  INTEGER PRIMARY KEY,
            type       TEXT NOT NULL,
            key        TEXT NOT NULL,
            action     TEXT NOT NULL,
            actor      TEXT NOT NULL,
            at         INTEGER NOT NULL,
            digest     BLOB
        ) STRICT;

        CREATE INDEX audit_log_by_entity ON audit_log (type, key, log_index);
        """,
        """
        -- HTTP passwords: a salted PBKDF2 hash for Basic, per-realm HA1 secrets for Digest; never the password.
        CREATE TABLE passwords (
            principal      TEXT PRIMARY KEY REFERENCES principals(name),
            salt           BLOB NOT NULL,
            iterations     INTEGER NOT NULL,
            hash           BLOB NOT NULL,
            realm          TEXT NOT NULL,
            digest_sha256  BLOB NOT NULL,
            digest_md5     BLOB NOT NULL,
            updated_at     INTEGER NOT NULL
        ) STRICT;

        -- Registrant contact data (a JSON object of the collected jCard fields).
        CREATE TABLE contacts (
            principal   TEXT PRIMARY KEY REFERENCES principals(name),
            fields      TEXT NOT NULL,
            updated_at  INTEGER NOT NULL
        ) STRICT;

        -- Registration-date sorting for RDAP searches.
        CREATE INDEX entities_by_registration ON entities (type, registered_at, key);
        """,
        new Migration("""
            -- The transparency log (docs/protocol.md): one row per entry, its leaf hash, and the commitments the leaf
            -- holds. type, key, actor and secret open them; retention sets them to NULL and the leaf stays.
            CREATE TABLE log_entries (
                log_index           INTEGER PRIMARY KEY,
                action              TEXT NOT NULL,
                at                  INTEGER NOT NULL,
                subject_commitment  BLOB NOT NULL,
                actor_commitment    BLOB NOT NULL,
                record_commitment   BLOB,
                leaf                BLOB NOT NULL,
                type                TEXT,
                key                 TEXT,
                actor               TEXT,
                secret              BLOB
            ) STRICT;

            CREATE INDEX log_entries_by_subject ON log_entries (type, key, log_index);

            -- Complete interior subtrees of the Merkle tree, written once as leaves complete them:
            -- id = level * 2^48 + index (SqliteLogWriter.NodeRowId).
            CREATE TABLE log_nodes (
                id    INTEGER PRIMARY KEY,
                hash  BLOB NOT NULL
            ) STRICT;
            """, SqliteLogBackfill.FromAuditLog),
        """
        -- The reputation extension (docs/reputation.md). A report's id is the log index of its REPORT entry; ended says
        -- why it no longer counts (withdrawn, superseded, expired). weight = reporter trust x confidence. Purging evidence
        -- keeps its hash, which the log entry's digest covers.
        CREATE TABLE reports (
            id           INTEGER PRIMARY KEY,
            type         TEXT NOT NULL,
            key          TEXT NOT NULL,
            value        TEXT NOT NULL,
            reporter     TEXT NOT NULL,
            assertion    TEXT NOT NULL,
            rating       REAL NOT NULL,
            confidence   REAL NOT NULL,
            weight       REAL NOT NULL,
            categories   TEXT NOT NULL,
            evidence     TEXT,
            evidence_sha256 TEXT NOT NULL,
            reported_at  INTEGER NOT NULL,
            expires_at   INTEGER NOT NULL,
            ended_at     INTEGER,
            ended        TEXT
        ) STRICT;

        CREATE INDEX reports_by_reporter ON reports (reporter, type, key, assertion, id);
        CREATE INDEX reports_counted_by_entity ON reports (type, key, id) WHERE ended_at IS NULL;
        CREATE INDEX reports_counted_by_expiry ON reports (expires_at) WHERE ended_at IS NULL;
        CREATE INDEX reports_counted_by_reporter ON reports (reporter, id) WHERE ended_at IS NULL;
        CREATE INDEX reports_with_evidence ON reports (reported_at) WHERE evidence IS NOT NULL;

        -- Maintained aggregates (ReputationAggregate): per entity and assertion, and per assertion (the norm).
        CREATE TABLE reputation_aggregates (
            type       TEXT NOT NULL,
            key        TEXT NOT NULL,
            assertion  TEXT NOT NULL,
            count      INTEGER NOT NULL,
            weight     REAL NOT NULL,
            rated      REAL NOT NULL,
            at         INTEGER NOT NULL,
            PRIMARY KEY (type, key, assertion)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE reputation_norms (
            assertion  TEXT PRIMARY KEY,
            count      INTEGER NOT NULL,
            weight     REAL NOT NULL,
            rated      REAL NOT NULL,
            at         INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE allowlist (
            type      TEXT NOT NULL,
            key       TEXT NOT NULL,
            value     TEXT NOT NULL,
            reason    TEXT NOT NULL,
            added_by  TEXT NOT NULL,
            added_at  INTEGER NOT NULL,
            PRIMARY KEY (type, key)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE reporter_trust (
            principal  TEXT PRIMARY KEY,
            trust      REAL NOT NULL,
            set_by     TEXT NOT NULL,
            set_at     INTEGER NOT NULL
        ) STRICT;

        -- The CHANGES feed: one row per entity, moved to a new highest seq whenever its reputation changes.
        CREATE TABLE reputation_changes (
            type        TEXT NOT NULL,
            key         TEXT NOT NULL,
            value       TEXT NOT NULL,
            seq         INTEGER NOT NULL UNIQUE,
            changed_at  INTEGER NOT NULL,
            PRIMARY KEY (type, key)
        ) STRICT, WITHOUT ROWID;
        """,
        """
        -- Registered entities keyed by the log entry that registered them, and no index by name: a registration
        -- appends a row instead of inserting it at a random place, and repsecd answers every lookup by name from
        -- memory (EntityIndex, loaded from these rows at start). The log's entries likewise lose their index by
        -- subject: which entries name an entity is held in memory too.
        CREATE TABLE entities_in_log_order (
            type           TEXT NOT NULL,
            key            TEXT NOT NULL,
            value          TEXT NOT NULL,
            owner          TEXT NOT NULL,
            attributes     TEXT,
            registered_at  INTEGER NOT NULL,
            log_index      INTEGER PRIMARY KEY
        ) STRICT;

        INSERT INTO entities_in_log_order (type, key, value, owner, attributes, registered_at, log_index)
            SELECT type, key, value, owner, attributes, registered_at, log_index FROM entities ORDER BY log_index;
        DROP TABLE entities;
        ALTER TABLE entities_in_log_order RENAME TO entities;
        DROP INDEX log_entries_by_subject;
        """,
    ];
}
