using System.Net;
using System.Net.Sockets;
using System.Text;
using RepSec.Testing;

namespace RepSec.IntegrationTests.Operations;

/// <summary>
/// <c>Type=notify</c> (contrib/systemd/repsecd.service): repsecd tells the service manager on <c>NOTIFY_SOCKET</c>
/// (sd_notify's datagram socket) that it is ready once both listeners accept, and that it stops on SIGTERM. The
/// command line is the unit's <c>ExecStart</c>, with contrib/appsettings.json as its settings file.
/// </summary>
public sealed class ServiceManagerTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("repsec-notify-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Ready_is_sent_when_both_ports_accept_and_stopping_on_SIGTERM()
    {
        var socketPath = Path.Combine(_data, "notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(socketPath));
        var (repsecPort, rdapPort) = (RepsecdProcess.FreePort(), RepsecdProcess.FreePort());
        var environment = new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = socketPath,
            ["RepSec__Listen"] = "127.0.0.1",
            ["RepSec__RepSecPort"] = $"{repsecPort}",
            ["RepSec__RdapPort"] = $"{rdapPort}",
        };
        await using var repsecd = RepsecdProcess.Start(environment, UnitCommandLine(state: Path.Combine(_data, "state")));

        var ready = await ReceiveAsync(notify);
        using (var repsec = new TcpClient())
        using (var rdap = new TcpClient())
        {
            await repsec.ConnectAsync(IPAddress.Loopback, repsecPort);
            await rdap.ConnectAsync(IPAddress.Loopback, rdapPort);
        }

        repsecd.Terminate();
        var stopping = await ReceiveAsync(notify);

        Assert.Contains("READY=1", ready, StringComparison.Ordinal);
        Assert.Contains("STOPPING=1", stopping, StringComparison.Ordinal);
        Assert.Equal(0, await repsecd.WaitForExitAsync());
    }

    /// <summary>The unit's ExecStart arguments, with its settings file and state directory where the test has them.</summary>
    private static string[] UnitCommandLine(string state)
    {
        var unit = File.ReadAllLines(Repository.File("contrib", "systemd", "repsecd.service"));
        var execStart = Assert.Single(unit, line => line.StartsWith("ExecStart=", StringComparison.Ordinal));
        var words = execStart["ExecStart=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("/usr/local/bin/repsecd", words[0]);
        return [.. words.Skip(1).Select(word => word
            .Replace("/etc/repsec/appsettings.json", Repository.File("contrib", "appsettings.json"), StringComparison.Ordinal)
            .Replace("${STATE_DIRECTORY}", state, StringComparison.Ordinal))];
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
