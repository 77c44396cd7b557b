using System.Net.Http.Headers;
using System.Text;
using Npgsql;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.Testing;

namespace RepSec.IntegrationTests.Wire;

/// <summary>
/// The real repsecd process logging at Trace for every category, as an operator debugging would run it: after
/// good and bad credentials of every kind on both ports, its console output holds no token, password, private
/// key or database password.
/// </summary>
public sealed class ProcessLogSecretsTests : IAsyncLifetime
{
    private const string Password = "pw-Secret-Horse-7731";
    private const string WrongPassword = "pw-Wrong-Battery-9902";

    private readonly string _data = Directory.CreateTempSubdirectory("repsec-secrets-").FullName;
    private readonly string _schema = $"secrets_{Guid.NewGuid():N}";
    private bool _schemaCreated;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_schemaCreated)
        {
            await Engines.ExecutePostgresAsync($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        }

        Directory.Delete(_data, recursive: true);
    }

    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task No_secret_reaches_the_console_log_at_trace_level(string store)
    {
        var environment = new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "Trace",
            ["Logging__LogLevel__Microsoft"] = "Trace",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace",
        };
        string? databasePassword = null;
        if (store == "postgres")
        {
            var postgres = Engines.RequirePostgres();
            databasePassword = new NpgsqlConnectionStringBuilder(postgres).Password;
            Skip.If(string.IsNullOrEmpty(databasePassword), "the PostgreSQL connection string has no password to look for");
            await Engines.ExecutePostgresAsync($"CREATE SCHEMA {_schema}");
            _schemaCreated = true;
            environment["RepSec__Store"] = "postgres";
            environment["RepSec__Postgres"] = new NpgsqlConnectionStringBuilder(postgres) { SearchPath = _schema }.ConnectionString;
        }

        var (exit, token, error) = await NodeProcess.RunAsync(environment, "token", "issue", "--data", _data, "--principal", "alice", "--role", "registrant");
        Assert.True(exit == 0, error);
        token = token.Trim();
        (exit, _, error) = await NodeProcess.RunWithInputAsync(environment, Password, "user", "add", "--data", _data, "--principal", "alice", "--password-stdin");
        Assert.True(exit == 0, error);
        var forgedToken = token[..^8] + "AAAAAAAA";

        string output;
        await using (var node = await NodeProcess.StartAsync(_data, environment))
        {
            await using (var wire = await WireConnection.OpenAsync(node.Port, Ca))
            {
                Assert.Equal(200, (await wire.RequestAsync(Requests.Register("secrets.example", "domain", token))).Status());
                Assert.Equal(401, (await wire.RequestAsync(Requests.Register("forged.example", "domain", forgedToken))).Status());
                Assert.Equal(400, (await wire.RequestAsync("{\"command\":\"AUDIT\",\"auth\":\"" + token + "\"")).Status());
            }

            using var http = Http(node.RdapPort);
            Assert.Equal(200, (int)(await GetAsync(http, new AuthenticationHeaderValue("Basic", Basic("alice", Password)))).StatusCode);
            Assert.Equal(401, (int)(await GetAsync(http, new AuthenticationHeaderValue("Basic", Basic("alice", WrongPassword)))).StatusCode);
            Assert.Equal(200, (int)(await GetAsync(http, new AuthenticationHeaderValue("Bearer", token))).StatusCode);
            Assert.Equal(401, (int)(await GetAsync(http, new AuthenticationHeaderValue("Bearer", forgedToken))).StatusCode);
            output = node.Output;
        }

        // The verbose levels really were on (Debug lines are written), so the log's silence about secrets means something.
        Assert.Contains("dbug: ", output, StringComparison.Ordinal);
        var secrets = new Dictionary<string, string>
        {
            ["the token's secret"] = token[20..],
            ["the forged token's secret"] = forgedToken[20..],
            ["the password"] = Password,
            ["the wrong password"] = WrongPassword,
            ["the Basic credentials"] = Basic("alice", Password),
            ["the log signing key"] = (await File.ReadAllTextAsync(Path.Combine(_data, "log-key"))).Trim().Split('+', 5)[4],
            ["the TLS private key"] = PemBody(Path.Combine(_data, "tls", "server.key")),
        };
        if (databasePassword is not null)
        {
            secrets["the database password"] = databasePassword;
        }

        foreach (var (name, secret) in secrets)
        {
            Assert.False(output.Contains(secret, StringComparison.Ordinal), $"{name} appears in the console log");
        }
    }

    private string Ca => Path.Combine(_data, "tls", "dev-ca.crt");

    private static string Basic(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, AuthenticationHeaderValue authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "domain/secrets.example");
        request.Headers.Authorization = authorization;
        return await http.SendAsync(request);
    }

    /// <summary>The middle line of a PEM file's base64 body: any of it in a log would be a leak.</summary>
    private static string PemBody(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).ToArray();
        return lines[lines.Length / 2];
    }

    private HttpClient Http(int port)
    {
        var handler = new SocketsHttpHandler { SslOptions = new System.Net.Security.SslClientAuthenticationOptions { CertificateChainPolicy = DevelopmentTrust.Policy(Ca) } };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{port}/rdap/") };
    }
}
