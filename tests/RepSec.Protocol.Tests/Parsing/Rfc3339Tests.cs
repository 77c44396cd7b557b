using RepSec.Protocol.Parsing;

namespace RepSec.Protocol.Tests.Parsing;

/// <summary>The one way the protocol, its client and its CLI write a time, and that it reads back.</summary>
public sealed class Rfc3339Tests
{
    [Fact]
    public void A_time_is_written_in_utc_with_milliseconds_and_reads_back()
    {
        var time = new DateTimeOffset(2026, 12, 7, 8, 1, 59, 123, TimeSpan.FromHours(3)).AddTicks(4567);

        var text = Rfc3339.Format(time);

        Assert.Equal("2026-12-07T05:01:59.123Z", text);
        Assert.True(Rfc3339.TryParseUtc(text, out var parsed));
        Assert.Equal(time.AddTicks(-4567), parsed);
    }
}
