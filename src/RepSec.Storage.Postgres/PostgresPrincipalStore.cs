using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;
using RepSec.Core.Registry;
using RepSec.Core.Security;

namespace RepSec.Storage.Postgres;

/// <summary>
/// Principals, token hashes and certificate fingerprints on PostgreSQL. Off the hot path (the authenticator caches).
/// Every change is logged like the SQLite store's, in its own transaction under the log head's lock.
/// </summary>
public sealed class PostgresPrincipalStore(PostgresDatabase database) : IPrincipalStore
{
    private readonly NpgsqlDataSource _dataSource = database.DataSource;

    public async ValueTask<TokenCredential?> FindTokenAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            SELECT p.name, p.role, t.secret_hash, t.revoked_at FROM tokens t JOIN principals p ON p.name = t.principal
            WHERE t.id = $1
            """, Value(tokenId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var principal = new Principal(reader.GetString(0), ParseRole(reader.GetString(1)));
        return new TokenCredential(tokenId, principal, reader.GetFieldValue<byte[]>(2), !reader.IsDBNull(3));
    }

    public async ValueTask<Principal?> FindByCertificateAsync(string fingerprint, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            SELECT p.name, p.role FROM client_certificates c JOIN principals p ON p.name = c.principal
            WHERE c.fingerprint = $1
            """, Value(fingerprint));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new Principal(reader.GetString(0), ParseRole(reader.GetString(1))) : null;
    }

    public async ValueTask<Principal> EnsurePrincipalAsync(string name, Role? role, CancellationToken cancellationToken = default)
    {
        if (!Principal.IsValidName(name))
        {
            throw new PrincipalStoreException($"'{name}' is not a valid principal name (1-64 of A-Z a-z 0-9 . _ @ -; 'anonymous' is reserved)");
        }

        // Under the log lock two nodes adding the same principal take turns: the second finds the first's row.
        await using var change = await OperatorChange.BeginAsync(_dataSource, cancellationToken);
        await using (var find = change.Command("SELECT role FROM principals WHERE name = $1", Value(name)))
        {
            if (await find.ExecuteScalarAsync(cancellationToken) is string stored)
            {
                var existing = ParseRole(stored);
                if (role is { } wanted && wanted != existing)
                {
                    throw new PrincipalStoreException($"principal '{name}' exists with role {existing.ToWire()}, not {wanted.ToWire()}");
                }

                return new Principal(name, existing);
            }
        }

        if (role is not { } newRole)
        {
            throw new PrincipalStoreException($"principal '{name}' does not exist; give --role to create it");
        }

        var now = DateTimeOffset.UtcNow;
        await using (var insert = change.Command("INSERT INTO principals (name, role, created_at) VALUES ($1, $2, $3)",
            Value(name), Value(newRole.ToWire()), Value(now.ToUnixTimeMilliseconds())))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        change.Log(AuditActions.PrincipalAdd, now, name, OperatorRecords.PrincipalAdd(newRole.ToWire()));
        await change.CommitAsync(cancellationToken);
        return new Principal(name, newRole);
    }

    public async ValueTask StoreTokenAsync(string tokenId, string principal, byte[] secretHash, DateTimeOffset createdAt, CancellationToken cancellationToken = default) =>
        await LoggedAsync("INSERT INTO tokens (id, principal, secret_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING principal",
            [Value(tokenId), Value(principal), Value(secretHash), Value(createdAt.ToUnixTimeMilliseconds())],
            AuditActions.TokenIssue, createdAt, OperatorRecords.TokenIssue(tokenId, secretHash), cancellationToken);

    public ValueTask<bool> RevokeTokenAsync(string tokenId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default) =>
        LoggedAsync("UPDATE tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING principal",
            [Value(tokenId), Value(revokedAt.ToUnixTimeMilliseconds())], AuditActions.TokenRevoke, revokedAt, OperatorRecords.TokenRevoke(tokenId), cancellationToken);

    public async ValueTask<IReadOnlyList<TokenInfo>> ListTokensAsync(string? principal, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            SELECT t.id, p.name, p.role, t.created_at, t.revoked_at FROM tokens t JOIN principals p ON p.name = t.principal
            WHERE $1 IS NULL OR p.name = $1 ORDER BY t.created_at, t.id
            """, Text(principal));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tokens = new List<TokenInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens.Add(new TokenInfo(reader.GetString(0), reader.GetString(1), ParseRole(reader.GetString(2)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
        }

        return tokens;
    }

    public async ValueTask AddCertificateAsync(string fingerprint, string principal, DateTimeOffset addedAt, CancellationToken cancellationToken = default) =>
        await LoggedAsync("""
            INSERT INTO client_certificates (fingerprint, principal, added_at) VALUES ($1, $2, $3)
            ON CONFLICT (fingerprint) DO UPDATE SET principal = excluded.principal, added_at = excluded.added_at
            RETURNING principal
            """, [Value(fingerprint), Value(principal), Value(addedAt.ToUnixTimeMilliseconds())],
            AuditActions.CertificateAdd, addedAt, OperatorRecords.Certificate(fingerprint), cancellationToken);

    public ValueTask<bool> RemoveCertificateAsync(string fingerprint, CancellationToken cancellationToken = default) =>
        LoggedAsync("DELETE FROM client_certificates WHERE fingerprint = $1 RETURNING principal", [Value(fingerprint)],
            AuditActions.CertificateRemove, DateTimeOffset.UtcNow, OperatorRecords.Certificate(fingerprint), cancellationToken);

    public async ValueTask<IReadOnlyList<CertificateInfo>> ListCertificatesAsync(CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            SELECT c.fingerprint, p.name, p.role, c.added_at FROM client_certificates c JOIN principals p ON p.name = c.principal
            ORDER BY c.added_at
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var certificates = new List<CertificateInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            certificates.Add(new CertificateInfo(reader.GetString(0), reader.GetString(1), ParseRole(reader.GetString(2)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        }

        return certificates;
    }

    public async ValueTask<Principal?> FindPrincipalAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var command = Command("SELECT role FROM principals WHERE name = $1", Value(name));
        return await command.ExecuteScalarAsync(cancellationToken) is string role ? new Principal(name, ParseRole(role)) : null;
    }

    public async ValueTask SetPasswordAsync(PasswordCredential credential, CancellationToken cancellationToken = default) =>
        // The log commits to a hash of the stored credential, behind the entry's hiding commitment.
        await LoggedAsync("""
            INSERT INTO passwords (principal, salt, iterations, hash, realm, digest_sha256, digest_md5, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (principal) DO UPDATE SET salt = excluded.salt, iterations = excluded.iterations, hash = excluded.hash,
                realm = excluded.realm, digest_sha256 = excluded.digest_sha256, digest_md5 = excluded.digest_md5, updated_at = excluded.updated_at
            RETURNING principal
            """, [Value(credential.Principal), Value(credential.Salt), Value(credential.Iterations), Value(credential.Hash),
                Value(credential.Realm), Value(credential.DigestSha256), Value(credential.DigestMd5), Value(credential.UpdatedAt.ToUnixTimeMilliseconds())],
            AuditActions.PasswordSet, credential.UpdatedAt, OperatorRecords.Password(credential), cancellationToken);

    public async ValueTask<PasswordCredential?> FindPasswordAsync(string principal, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            SELECT salt, iterations, hash, realm, digest_sha256, digest_md5, updated_at FROM passwords WHERE principal = $1
            """, Value(principal));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new PasswordCredential(principal, reader.GetFieldValue<byte[]>(0), reader.GetInt32(1), reader.GetFieldValue<byte[]>(2),
                reader.GetString(3), reader.GetFieldValue<byte[]>(4), reader.GetFieldValue<byte[]>(5),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)))
            : null;
    }

    public async ValueTask SetContactAsync(Contact contact, CancellationToken cancellationToken = default)
    {
        // The log commits to a hash of the fields, behind the entry's hiding commitment.
        var details = OperatorRecords.Contact(contact.Fields);
        if (contact.Fields.Count == 0)
        {
            await LoggedAsync("DELETE FROM contacts WHERE principal = $1 RETURNING principal", [Value(contact.Principal)],
                AuditActions.ContactSet, contact.UpdatedAt, details, cancellationToken);
            return;
        }

        await LoggedAsync("""
            INSERT INTO contacts (principal, fields, updated_at) VALUES ($1, $2, $3)
            ON CONFLICT (principal) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at
            RETURNING principal
            """, [Value(contact.Principal), Value(JsonSerializer.Serialize(contact.Fields, ContactJson.Default.IReadOnlyDictionaryStringString)),
                Value(contact.UpdatedAt.ToUnixTimeMilliseconds())],
            AuditActions.ContactSet, contact.UpdatedAt, details, cancellationToken);
    }

    public async ValueTask<Contact?> FindContactAsync(string principal, CancellationToken cancellationToken = default)
    {
        await using var command = Command("SELECT fields, updated_at FROM contacts WHERE principal = $1", Value(principal));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var fields = JsonSerializer.Deserialize(reader.GetString(0), ContactJson.Default.IReadOnlyDictionaryStringString) ?? new Dictionary<string, string>();
        return new Contact(principal, fields, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)));
    }

    private static Role ParseRole(string text) => Roles.TryParse(text, out var role) ? role : Role.None;

    private static NpgsqlParameter<T> Value<T>(T value) => new() { TypedValue = value };

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private NpgsqlCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    /// <summary>
    /// Runs an operator change whose statement returns the principal it touched and, when it touched one, appends the
    /// change to the log in the same transaction. Returns whether anything changed.
    /// </summary>
    private async ValueTask<bool> LoggedAsync(string sql, NpgsqlParameter[] parameters, string action, DateTimeOffset at, string details,
        CancellationToken cancellationToken)
    {
        await using var change = await OperatorChange.BeginAsync(_dataSource, cancellationToken);
        string? principal;
        await using (var command = change.Command(sql, parameters))
        {
            principal = await command.ExecuteScalarAsync(cancellationToken) as string;
        }

        if (principal is not null)
        {
            change.Log(action, at, principal, details);
        }

        await change.CommitAsync(cancellationToken);
        return principal is not null;
    }
}

[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class ContactJson : JsonSerializerContext;
