namespace RepSec.Storage.Postgres;

/// <summary>
/// Schema migrations, applied in order; how many have run is the version in <c>repsec_schema</c>. The tables are
/// SQLite's schema 3 in PostgreSQL types (times stay unix milliseconds), plus <c>log_head</c>: the committed log
/// size in one row, which every log append locks first so that all nodes append to one sequence.
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
    ];
}
