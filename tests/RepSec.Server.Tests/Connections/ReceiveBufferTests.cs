using RepSec.Server.Connections;

namespace RepSec.Server.Tests.Connections;

/// <summary>The read buffer both connection loops share: consume from the front, grow to a bound, shrink when empty.</summary>
public sealed class ReceiveBufferTests
{
    [Fact]
    public void Consumed_bytes_leave_the_rest_at_the_front()
    {
        var buffer = new ReceiveBuffer(8, 16, 64);
        Receive(buffer, "abcdef"u8);

        buffer.Consume(4);

        Assert.Equal(2, buffer.Count);
        Assert.Equal("ef"u8.ToArray(), buffer.From(0).ToArray());
        Assert.Equal(6, buffer.Free.Length);
    }

    [Fact]
    public void A_full_buffer_doubles_up_to_its_bound_and_no_further()
    {
        var buffer = new ReceiveBuffer(8, 16, 20);
        var sizes = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            Receive(buffer, new byte[buffer.Free.Length]);
            buffer.Consume(0);
            sizes.Add(buffer.Count + buffer.Free.Length);
        }

        Assert.Equal([16, 20, 20, 20], sizes);
        Assert.Equal(20, buffer.Count);
    }

    [Fact]
    public void An_empty_buffer_grown_past_the_retained_size_goes_back_to_its_first_size()
    {
        var buffer = new ReceiveBuffer(8, 16, 64);
        while (buffer.Count + buffer.Free.Length <= 16)
        {
            Receive(buffer, new byte[buffer.Free.Length]);
            buffer.Consume(0);
        }

        buffer.Consume(buffer.Count);

        Assert.Equal(0, buffer.Count);
        Assert.Equal(8, buffer.Free.Length);
    }

    private static void Receive(ReceiveBuffer buffer, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer.Free.Span);
        buffer.Received(bytes.Length);
    }
}
