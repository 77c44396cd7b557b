namespace RepSec.Storage.Postgres;

/// <summary>
/// Schema migrations, applied in order; how many have run is the version in <c>repsec_schema</c>. The tables are
/// SQLite's (schema 3, then the reputation tables of schema 4) in PostgreSQL types (times stay unix milliseconds),
/// plus <c>log_head</c>: the committed log size in one row, which every log append locks first so that all nodes
/// append to one sequence.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The one-row table holding how many migrations have run; created (at 0) by the first start.</summary>
    public const string VersionTable = """
        CREATE TABLE repsec_schema (version integer NOT NULL);
        INSERT INTO repsec_schema (version) VALUES (0);
        """;

    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE principals (
            name        text PRIMARY KEY,
            role        text NOT NULL,
            created_at  bigint NOT NULL
        );

        CREATE TABLE tokens (
            id           text PRIMARY KEY,
            principal    text NOT NULL REFERENCES principals(name),
            secret_hash  bytea NOT NULL,
            created_at   bigint NOT NULL,
            revoked_at   bigint
        );

        CREATE TABLE client_certificates (
            fingerprint  text PRIMARY KEY,
            principal    text NOT NULL REFERENCES principals(name),
            added_at     bigint NOT NULL
        );

        -- HTTP passwords: a salted PBKDF2 hash for Basic, per-realm HA1 secrets for Digest; never the password.
        CREATE TABLE passwords (
            principal      text PRIMARY KEY REFERENCES principals(name),
            salt           bytea NOT NULL,
            iterations     integer NOT NULL,
            hash           bytea NOT NULL,
            realm          text NOT NULL,
            digest_sha256  bytea NOT NULL,
            digest_md5     bytea NOT NULL,
            updated_at     bigint NOT NULL
        );

        -- Registrant contact data (a JSON object of the collected jCard fields).
        CREATE TABLE contacts (
            principal   text PRIMARY KEY REFERENCES principals(name),
            fields      text NOT NULL,
            updated_at  bigint NOT NULL
        );

        -- One row per registered entity; removal deletes the row. Keys compare and sort by code point (COLLATE "C",
        -- as SQLite's BINARY), whatever the database's default collation, so prefix ranges and paging match SQLite.
        -- attributes stays text, not jsonb: the record digest covers its exact bytes.
        CREATE TABLE entities (
            type           text COLLATE "C" NOT NULL,
            key            text COLLATE "C" NOT NULL,
            value          text NOT NULL,
            owner          text NOT NULL,
            attributes     text,
            registered_at  bigint NOT NULL,
            log_index      bigint NOT NULL,
            PRIMARY KEY (type, key)
        );

        -- Registration-date sorting for RDAP searches.
        CREATE INDEX entities_by_registration ON entities (type, registered_at, key);

        -- The transparency log (docs/protocol.md): one row per entry, its leaf hash, and the commitments the leaf
        -- holds. type, key, actor and secret open them; retention sets them to NULL and the leaf stays.
        CREATE TABLE log_entries (
            log_index           bigint PRIMARY KEY,
            action              text NOT NULL,
            at                  bigint NOT NULL,
            subject_commitment  bytea NOT NULL,
            actor_commitment    bytea NOT NULL,
            record_commitment   bytea,
            leaf                bytea NOT NULL,
            type                text COLLATE "C",
            key                 text COLLATE "C",
            actor               text,
            secret              bytea
        );

        CREATE INDEX log_entries_by_subject ON log_entries (type, key, log_index);

        -- Complete interior subtrees of the Merkle tree, written once as leaves complete them:
        -- id = level * 2^48 + index (PostgresLogWriter.NodeRowId).
        CREATE TABLE log_nodes (
            id    bigint PRIMARY KEY,
            hash  bytea NOT NULL
        );

        -- The committed log size. Every transaction that appends locks this row first (SELECT ... FOR UPDATE), which
        -- makes the appenders of all nodes take turns, and sets it in the same commit as the entries.
        CREATE TABLE log_head (
            id    integer PRIMARY KEY CHECK (id = 1),
            size  bigint NOT NULL
        );

        INSERT INTO log_head (id, size) VALUES (1, 0);
        """,
        """
        -- The verifier key of the log's signing key. The first node to start records its own; a node holding another
        -- key refuses to start, so clients that pin the key see one log whichever node answers.
        CREATE TABLE log_key (
            id            integer PRIMARY KEY CHECK (id = 1),
            verifier_key  text NOT NULL
        );
        """,
        """
        -- The reputation extension (docs/reputation.md), as in SQLite's schema 4. A report's id is the log index of
        -- its REPORT entry. weight is the reporter's trust times the confidence (updated when the trust changes);
        -- categories is a JSON array of tokens. A report counts until it ends (withdrawn, superseded or expired);
        -- the row stays, and evidence is purged on withdrawal and after retention; its hash, which the log entry's
        -- digest covers, stays.
        CREATE TABLE reports (
            id           bigint PRIMARY KEY,
            type         text COLLATE "C" NOT NULL,
            key          text COLLATE "C" NOT NULL,
            value        text NOT NULL,
            reporter     text COLLATE "C" NOT NULL,
            assertion    text COLLATE "C" NOT NULL,
            rating       double precision NOT NULL,
            confidence   double precision NOT NULL,
            weight       double precision NOT NULL,
            categories   text NOT NULL,
            evidence     text,
            evidence_sha256 text NOT NULL,
            reported_at  bigint NOT NULL,
            expires_at   bigint NOT NULL,
            ended_at     bigint,
            ended        text CHECK (ended IN ('withdrawn', 'superseded', 'expired')),
            CHECK ((ended IS NULL) = (ended_at IS NULL))
        );

        -- The reporter's latest report of an entity and assertion, counted or not (the interval check).
        CREATE INDEX reports_by_reporter ON reports (reporter, type, key, assertion, id);
        -- An entity's counted reports, newest first.
        CREATE INDEX reports_counted_by_entity ON reports (type, key, id) WHERE ended_at IS NULL;
        -- Counted reports by expiry (the sweep).
        CREATE INDEX reports_counted_by_expiry ON reports (expires_at) WHERE ended_at IS NULL;
        -- A reporter's counted reports (reweighting when their trust changes).
        CREATE INDEX reports_counted_by_reporter ON reports (reporter, id) WHERE ended_at IS NULL;
        -- Reports still holding evidence, oldest first (retention).
        CREATE INDEX reports_with_evidence ON reports (reported_at) WHERE evidence IS NOT NULL;

        -- Maintained aggregates (ReputationAggregate): per entity and assertion (deleted when nothing counts), and per
        -- assertion over all entities (the norm). weight and rated are decayed to at.
        CREATE TABLE reputation_aggregates (
            type       text COLLATE "C" NOT NULL,
            key        text COLLATE "C" NOT NULL,
            assertion  text COLLATE "C" NOT NULL,
            count      bigint NOT NULL,
            weight     double precision NOT NULL,
            rated      double precision NOT NULL,
            at         bigint NOT NULL,
            PRIMARY KEY (type, key, assertion)
        );

        CREATE TABLE reputation_norms (
            assertion  text COLLATE "C" PRIMARY KEY,
            count      bigint NOT NULL,
            weight     double precision NOT NULL,
            rated      double precision NOT NULL,
            at         bigint NOT NULL
        );

        CREATE TABLE allowlist (
            type      text COLLATE "C" NOT NULL,
            key       text COLLATE "C" NOT NULL,
            value     text NOT NULL,
            reason    text NOT NULL,
            added_by  text NOT NULL,
            added_at  bigint NOT NULL,
            PRIMARY KEY (type, key)
        );

        CREATE TABLE reporter_trust (
            principal  text COLLATE "C" PRIMARY KEY,
            trust      double precision NOT NULL,
            set_by     text NOT NULL,
            set_at     bigint NOT NULL
        );

        -- The change feed: one row per entity, moved to seq = max + 1 by every write that changes its reputation.
        -- seq is taken under the log head's lock, so seq order is commit order.
        CREATE TABLE reputation_changes (
            type        text COLLATE "C" NOT NULL,
            key         text COLLATE "C" NOT NULL,
            value       text NOT NULL,
            seq         bigint NOT NULL UNIQUE,
            changed_at  bigint NOT NULL,
            PRIMARY KEY (type, key)
        );
        """,
    ];
}
