using RepSec.Core.Registry;
using RepSec.Core.Transparency;

namespace RepSec.Core.Tests.Registry;

public sealed class CommittedEntryTests
{
    private static byte[] Bytes(byte value, int length) => Enumerable.Repeat(value, length).ToArray();

    [Fact]
    public void The_packed_values_read_back_as_given_with_or_without_a_record_commitment()
    {
        var entry = new CommittedEntry(Bytes(1, 32), new EntryCommitments(Bytes(2, 32), Bytes(3, 32), Bytes(4, 32)), Bytes(5, 32));
        Assert.Equal(Bytes(1, 32), entry.Secret);
        Assert.Equal(Bytes(2, 32), entry.Commitments.Subject);
        Assert.Equal(Bytes(3, 32), entry.Commitments.Actor);
        Assert.Equal(Bytes(4, 32), entry.Commitments.Record);
        Assert.Equal(Bytes(5, 32), entry.LeafHash);

        var none = new CommittedEntry(Bytes(1, 32), new EntryCommitments(Bytes(2, 32), Bytes(3, 32), null), Bytes(5, 32));
        Assert.Null(none.Commitments.Record);
        Assert.Equal(Bytes(5, 32), none.LeafHash);
    }

    [Fact]
    public void Values_of_unexpected_lengths_from_an_edited_row_are_kept_as_they_are()
    {
        // An edited database may hold any blob: the check against the log must see exactly what is stored.
        var entry = new CommittedEntry(Bytes(1, 3), Bytes(2, 0), Bytes(3, 40), Bytes(4, 0), noRecord: false, Bytes(5, 31));
        Assert.Equal(Bytes(1, 3), entry.Secret);
        Assert.Empty(entry.Commitments.Subject);
        Assert.Equal(Bytes(3, 40), entry.Commitments.Actor);
        Assert.Equal(Array.Empty<byte>(), entry.Commitments.Record);
        Assert.Equal(Bytes(5, 31), entry.LeafHash);
    }
}
