using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using RepSec.Core.Registry;
using RepSec.Core.Security;
using RepSec.Core.Transparency;

namespace RepSec.Storage.Sqlite;

/// <summary>Principals, token hashes and certificate fingerprints on SQLite. Off the hot path (the authenticator caches).</summary>
public sealed class SqlitePrincipalStore(SqliteDatabase database) : IPrincipalStore
{
    public ValueTask<TokenCredential?> FindTokenAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var command = Command(connection, """
            SELECT p.name, p.role, t.secret_hash, t.revoked_at FROM tokens t JOIN principals p ON p.name = t.principal
            WHERE t.id = $id
            """, ("$id", tokenId));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return ValueTask.FromResult<TokenCredential?>(null);
        }

        var principal = new Principal(reader.GetString(0), ParseRole(reader.GetString(1)));
        return ValueTask.FromResult<TokenCredential?>(new TokenCredential(tokenId, principal, (byte[])reader.GetValue(2), !reader.IsDBNull(3)));
    }

    public ValueTask<Principal?> FindByCertificateAsync(string fingerprint, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var command = Command(connection, """
            SELECT p.name, p.role FROM client_certificates c JOIN principals p ON p.name = c.principal
            WHERE c.fingerprint = $fingerprint
            """, ("$fingerprint", fingerprint));
        using var reader = command.ExecuteReader();
        return ValueTask.FromResult(reader.Read() ? new Principal(reader.GetString(0), ParseRole(reader.GetString(1))) : null);
    }

    public ValueTask<Principal> EnsurePrincipalAsync(string name, Role? role, CancellationToken cancellationToken = default)
    {
        if (!Principal.IsValidName(name))
        {
            throw new PrincipalStoreException($"'{name}' is not a valid principal name (1-64 of A-Z a-z 0-9 . _ @ -; 'anonymous' is reserved)");
        }

        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var find = Command(connection, "SELECT role FROM principals WHERE name = $name", ("$name", name));
        find.Transaction = transaction;
        if (find.ExecuteScalar() is string stored)
        {
            var existing = ParseRole(stored);
            if (role is { } wanted && wanted != existing)
            {
                throw new PrincipalStoreException($"principal '{name}' exists with role {existing.ToWire()}, not {wanted.ToWire()}");
            }

            return ValueTask.FromResult(new Principal(name, existing));
        }

        if (role is not { } newRole)
        {
            throw new PrincipalStoreException($"principal '{name}' does not exist; give --role to create it");
        }

        var now = DateTimeOffset.UtcNow;
        using var insert = Command(connection, "INSERT INTO principals (name, role, created_at) VALUES ($name, $role, $at)",
            ("$name", name), ("$role", newRole.ToWire()), ("$at", now.ToUnixTimeMilliseconds()));
        insert.Transaction = transaction;
        insert.ExecuteNonQuery();
        AppendLog(connection, transaction, AuditActions.PrincipalAdd, now, name, OperatorRecords.PrincipalAdd(newRole.ToWire()));
        transaction.Commit();
        return ValueTask.FromResult(new Principal(name, newRole));
    }

    public ValueTask StoreTokenAsync(string tokenId, string principal, byte[] secretHash, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var command = Command(connection,
            "INSERT INTO tokens (id, principal, secret_hash, created_at) VALUES ($id, $principal, $hash, $at) RETURNING principal",
            ("$id", tokenId), ("$principal", principal), ("$hash", secretHash), ("$at", createdAt.ToUnixTimeMilliseconds()));
        Logged(connection, command, AuditActions.TokenIssue, createdAt, OperatorRecords.TokenIssue(tokenId, secretHash));
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> RevokeTokenAsync(string tokenId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var command = Command(connection,
            "UPDATE tokens SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL RETURNING principal",
            ("$id", tokenId), ("$at", revokedAt.ToUnixTimeMilliseconds()));
        return ValueTask.FromResult(Logged(connection, command, AuditActions.TokenRevoke, revokedAt, OperatorRecords.TokenRevoke(tokenId)));
    }

    public ValueTask<IReadOnlyList<TokenInfo>> ListTokensAsync(string? principal, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var command = Command(connection, """
            SELECT t.id, p.name, p.role, t.created_at, t.revoked_at FROM tokens t JOIN principals p ON p.name = t.principal
            WHERE $principal IS NULL OR p.name = $principal ORDER BY t.created_at, t.id
            """, ("$principal", principal));
        using var reader = command.ExecuteReader();
        var tokens = new List<TokenInfo>();
        while (reader.Read())
        {
            tokens.Add(new TokenInfo(reader.GetString(0), reader.GetString(1), ParseRole(reader.GetString(2)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
        }

        return ValueTask.FromResult<IReadOnlyList<TokenInfo>>(tokens);
    }

    public ValueTask AddCertificateAsync(string fingerprint, string principal, DateTimeOffset addedAt, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var command = Command(connection, """
            INSERT INTO client_certificates (fingerprint, principal, added_at) VALUES ($fingerprint, $principal, $at)
            ON CONFLICT (fingerprint) DO UPDATE SET principal = excluded.principal, added_at = excluded.added_at
            RETURNING principal
            """, ("$fingerprint", fingerprint), ("$principal", principal), ("$at", addedAt.ToUnixTimeMilliseconds()));
        Logged(connection, command, AuditActions.CertificateAdd, addedAt, OperatorRecords.Certificate(fingerprint));
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> RemoveCertificateAsync(string fingerprint, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var command = Command(connection,
            "DELETE FROM client_certificates WHERE fingerprint = $fingerprint RETURNING principal", ("$fingerprint", fingerprint));
        return ValueTask.FromResult(Logged(connection, command, AuditActions.CertificateRemove, DateTimeOffset.UtcNow, OperatorRecords.Certificate(fingerprint)));
    }

    public ValueTask<IReadOnlyList<CertificateInfo>> ListCertificatesAsync(CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var command = Command(connection, """
            SELECT c.fingerprint, p.name, p.role, c.added_at FROM client_certificates c JOIN principals p ON p.name = c.principal
            ORDER BY c.added_at
            """);
        using var reader = command.ExecuteReader();
        var certificates = new List<CertificateInfo>();
        while (reader.Read())
        {
            certificates.Add(new CertificateInfo(reader.GetString(0), reader.GetString(1), ParseRole(reader.GetString(2)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        }

        return ValueTask.FromResult<IReadOnlyList<CertificateInfo>>(certificates);
    }

    public ValueTask<Principal?> FindPrincipalAsync(string name, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var command = Command(connection, "SELECT role FROM principals WHERE name = $name", ("$name", name));
        return ValueTask.FromResult(command.ExecuteScalar() is string role ? new Principal(name, ParseRole(role)) : null);
    }

    public ValueTask SetPasswordAsync(PasswordCredential credential, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var command = Command(connection, """
            INSERT INTO passwords (principal, salt, iterations, hash, realm, digest_sha256, digest_md5, updated_at)
            VALUES ($principal, $salt, $iterations, $hash, $realm, $sha256, $md5, $at)
            ON CONFLICT (principal) DO UPDATE SET salt = excluded.salt, iterations = excluded.iterations, hash = excluded.hash,
                realm = excluded.realm, digest_sha256 = excluded.digest_sha256, digest_md5 = excluded.digest_md5, updated_at = excluded.updated_at
            RETURNING principal
            """, ("$principal", credential.Principal), ("$salt", credential.Salt), ("$iterations", credential.Iterations),
            ("$hash", credential.Hash), ("$realm", credential.Realm), ("$sha256", credential.DigestSha256),
            ("$md5", credential.DigestMd5), ("$at", credential.UpdatedAt.ToUnixTimeMilliseconds()));
        // The log commits to a hash of the stored credential, behind the entry's hiding commitment.
        Logged(connection, command, AuditActions.PasswordSet, credential.UpdatedAt, OperatorRecords.Password(credential));
        return ValueTask.CompletedTask;
    }

    public ValueTask<PasswordCredential?> FindPasswordAsync(string principal, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var command = Command(connection, """
            SELECT salt, iterations, hash, realm, digest_sha256, digest_md5, updated_at FROM passwords WHERE principal = $principal
            """, ("$principal", principal));
        using var reader = command.ExecuteReader();
        return ValueTask.FromResult(reader.Read()
            ? new PasswordCredential(principal, (byte[])reader.GetValue(0), reader.GetInt32(1), (byte[])reader.GetValue(2),
                reader.GetString(3), (byte[])reader.GetValue(4), (byte[])reader.GetValue(5),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)))
            : null);
    }

    public ValueTask SetContactAsync(Contact contact, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var command = contact.Fields.Count == 0
            ? Command(connection, "DELETE FROM contacts WHERE principal = $principal RETURNING principal", ("$principal", contact.Principal))
            : Command(connection, """
                INSERT INTO contacts (principal, fields, updated_at) VALUES ($principal, $fields, $at)
                ON CONFLICT (principal) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at
                RETURNING principal
                """, ("$principal", contact.Principal), ("$fields", JsonSerializer.Serialize(contact.Fields, ContactJson.Default.IReadOnlyDictionaryStringString)),
                ("$at", contact.UpdatedAt.ToUnixTimeMilliseconds()));
        // The log commits to a hash of the fields, behind the entry's hiding commitment.
        Logged(connection, command, AuditActions.ContactSet, contact.UpdatedAt, OperatorRecords.Contact(contact.Fields));
        return ValueTask.CompletedTask;
    }

    public ValueTask<Contact?> FindContactAsync(string principal, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var command = Command(connection, "SELECT fields, updated_at FROM contacts WHERE principal = $principal", ("$principal", principal));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return ValueTask.FromResult<Contact?>(null);
        }

        var fields = JsonSerializer.Deserialize(reader.GetString(0), ContactJson.Default.IReadOnlyDictionaryStringString) ?? new Dictionary<string, string>();
        return ValueTask.FromResult<Contact?>(new Contact(principal, fields, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1))));
    }

    private static Role ParseRole(string text) => Roles.TryParse(text, out var role) ? role : Role.None;

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>
    /// Runs an operator change whose statement returns the principal it touched and, when it touched one, appends the
    /// change to the log in the same transaction. Returns whether anything changed.
    /// </summary>
    private static bool Logged(SqliteConnection connection, SqliteCommand change, string action, DateTimeOffset at, string details)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        change.Transaction = transaction;
        var principal = change.ExecuteScalar() as string;
        if (principal is not null)
        {
            AppendLog(connection, transaction, action, at, principal, details);
        }

        transaction.Commit();
        return principal is not null;
    }

    private static void AppendLog(SqliteConnection connection, SqliteTransaction transaction, string action, DateTimeOffset at, string principal, string details)
    {
        using var log = new SqliteLogWriter(connection);
        log.Enlist(transaction);
        log.Begin();
        log.Append(LogEntryDraft.ForOperator(action, at, principal, details));
    }
}

[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class ContactJson : JsonSerializerContext;
