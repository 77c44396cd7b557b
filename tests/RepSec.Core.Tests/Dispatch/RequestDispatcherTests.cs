using System.Buffers;
using System.Net;
using System.Text.Json;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RepSec.Core.Commands;
using RepSec.Core.Dispatch;
using RepSec.Core.Limits;
using RepSec.Core.Registry;
using RepSec.Core.Replay;
using RepSec.Core.Security;
using RepSec.Storage.Sqlite;

namespace RepSec.Core.Tests.Dispatch;

/// <summary>
/// The dispatcher on a clock the test controls: the replay checks at the exact edges of the window, and what a
/// committed write tells the registry's derived views.
/// </summary>
public sealed class RequestDispatcherTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("repsec-dispatch-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    private readonly SqliteRegistryStore _registry;
    private readonly SqlitePrincipalStore _principals;
    private readonly RegistryVersion _version = new();
    private readonly RequestDispatcher _dispatcher;
    private readonly CommandContext _context = new(IPAddress.Loopback, null);
    private readonly ArrayBufferWriter<byte> _output = new();

    public RequestDispatcherTests()
    {
        var database = new SqliteDatabase(_directory);
        _registry = new SqliteRegistryStore(database);
        _principals = new SqlitePrincipalStore(database);
        var options = Options.Create(new RepSecOptions());
        _dispatcher = new RequestDispatcher(
            new CommandTable([new PingCommand(), new VerifyCommand(_registry), new RegisterCommand(_registry, options)], []),
            new Authenticator(_principals, _time),
            new MemoryNonceStore(_time),
            new RequestLimiter(new MemoryRateBuckets(), options),
            _version,
            new RepSecMetrics(),
            options,
            _time,
            NullLogger<RequestDispatcher>.Instance);
        _context.AttachOutput(_output);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<(int Status, string? Error)> SendAsync(string line)
    {
        _output.ResetWrittenCount();
        _context.AttachOutput(_output);
        var error = _dispatcher.Parse(_context, Encoding.UTF8.GetBytes(line));
        await _dispatcher.RunAsync(_context, error, CancellationToken.None);
        using var response = JsonDocument.Parse(_output.WrittenMemory);
        var root = response.RootElement;
        return (root.GetProperty("status").GetInt32(), root.TryGetProperty("error", out var code) ? code.GetString() : null);
    }

    [Fact]
    public async Task A_request_exactly_one_window_old_is_accepted_once_and_its_replay_refused()
    {
        var stamp = _time.GetUtcNow().AddSeconds(-300).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var line = $$"""{"command":"PING","nonce":"edge-nonce-0123456789","timestamp":"{{stamp}}"}""";

        Assert.Equal((200, null), await SendAsync(line));
        Assert.Equal((409, "replayed_nonce"), await SendAsync(line));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal((401, "stale_timestamp"), await SendAsync(line));
    }

    [Fact]
    public async Task A_request_dated_one_window_ahead_stays_unreplayable_for_its_whole_lifetime()
    {
        var stamp = _time.GetUtcNow().AddSeconds(300).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var line = $$"""{"command":"PING","nonce":"future-nonce-0123456789","timestamp":"{{stamp}}"}""";

        Assert.Equal((200, null), await SendAsync(line));
        _time.Advance(TimeSpan.FromSeconds(600));
        Assert.Equal((409, "replayed_nonce"), await SendAsync(line));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal((401, "stale_timestamp"), await SendAsync(line));
    }

    [Fact]
    public async Task A_committed_write_advances_the_registry_version_once_and_reads_and_refusals_do_not()
    {
        await _principals.EnsurePrincipalAsync("alice", Role.Registrant);
        var (token, id, hash) = BearerToken.Create();
        await _principals.StoreTokenAsync(id, "alice", hash, _time.GetUtcNow());
        var stamp = _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        string Register(string nonce) =>
            $$"""{"command":"REGISTER","entity":"example.com","type":"domain","auth":"{{token}}","nonce":"{{nonce}}","timestamp":"{{stamp}}"}""";

        Assert.Equal((200, null), await SendAsync(Register("nonce-register-0000001")));
        Assert.Equal(1, _version.Current);

        Assert.Equal((409, "already_registered"), await SendAsync(Register("nonce-register-0000002")));
        Assert.Equal((200, null), await SendAsync("""{"command":"VERIFY","entity":"example.com","type":"domain"}"""));
        Assert.Equal((200, null), await SendAsync("""{"command":"PING"}"""));
        Assert.Equal(1, _version.Current);
    }
}
