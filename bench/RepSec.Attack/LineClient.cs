using System.Net;
using System.Net.Security;
using System.Text;

namespace RepSec.Attack;

/// <summary>One RepSec TLS connection: a line out, a line back.</summary>
internal sealed class LineClient : IAsyncDisposable
{
    private readonly SslStream _tls;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private LineClient(SslStream tls) => _tls = tls;

    public static async Task<LineClient> OpenAsync(Net net, IPAddress source, CancellationToken cancellationToken) =>
        new(await net.TlsAsync(source, net.Settings.RepSecPort, Net.RepSecAlpn, cancellationToken));

    /// <summary>Sends one line and returns the answer line, or null when the server closed the connection.</summary>
    public async Task<string?> RoundTripAsync(string request, CancellationToken cancellationToken)
    {
        await _tls.WriteAsync(Encoding.UTF8.GetBytes(request + "\n"), cancellationToken);
        return await ReadLineAsync(cancellationToken);
    }

    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString(_buffer, _start, newline - _start);
                _start = newline + 1;
                return line;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new IOException("answer line too long");
            }

            var read = await _tls.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                return null;
            }

            _end += read;
        }
    }

    public ValueTask DisposeAsync() => _tls.DisposeAsync();
}
