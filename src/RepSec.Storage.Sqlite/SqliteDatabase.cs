using Microsoft.Data.Sqlite;

namespace RepSec.Storage.Sqlite;

/// <summary>
/// The database file under the data directory. Opening it migrates the schema (versioned by
/// <c>PRAGMA user_version</c>) inside an immediate transaction, so concurrent starts are safe.
/// </summary>
public sealed class SqliteDatabase
{
    public const string FileName = "repsec.db";

    public SqliteDatabase(string dataDirectory)
    {
        // Owner-only: the database, its WAL and its shared-memory file inherit nothing readable by others.
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataDirectory);
        }
        else
        {
            Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        FilePath = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        CreatePrivateFile(FilePath);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Migrate();
    }

    public string FilePath { get; }

    public string ConnectionString { get; }

    public int SchemaVersion => SqliteSchema.Migrations.Length;

    /// <summary>An open connection with the durability settings every connection needs.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        // FULL: a commit is fsynced before it returns, so an acknowledged write survives power loss, not only kill -9.
        Execute(connection, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA mmap_size=1073741824;");
        return connection;
    }

    private void Migrate()
    {
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        using var transaction = connection.BeginTransaction(deferred: false);
        using var version = connection.CreateCommand();
        version.Transaction = transaction;
        version.CommandText = "PRAGMA user_version;";
        var current = Convert.ToInt32(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current > SqliteSchema.Migrations.Length)
        {
            throw new InvalidOperationException(
                $"{FilePath} has schema version {current}, newer than this repsecd supports ({SqliteSchema.Migrations.Length})");
        }

        for (var next = current; next < SqliteSchema.Migrations.Length; next++)
        {
            using var step = connection.CreateCommand();
            step.Transaction = transaction;
            step.CommandText = SqliteSchema.Migrations[next].Sql;
            step.ExecuteNonQuery();
            SqliteSchema.Migrations[next].Then?.Invoke(connection, transaction);
            step.CommandText = $"PRAGMA user_version = {next + 1};";
            step.ExecuteNonQuery();
        }

        transaction.Commit();
        TightenPermissions();
    }

    /// <summary>
    /// An empty file is a valid empty database. Creating it 0600 before SQLite opens it matters: SQLite gives the
    /// WAL and shared-memory files the database file's mode.
    /// </summary>
    private static void CreatePrivateFile(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var file = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first.
        }
    }

    private void TightenPermissions()
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
