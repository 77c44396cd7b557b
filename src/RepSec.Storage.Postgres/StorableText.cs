using System.Buffers;
using System.Text;

namespace RepSec.Storage.Postgres;

/// <summary>
/// PostgreSQL text holds neither U+0000 nor unpaired surrogates (SQLite stores both). A write carrying one is
/// refused before it is queued: inside a batch, PostgreSQL's error would fail every other write with it.
/// </summary>
internal static class StorableText
{
    public static ArgumentException? Check(params ReadOnlySpan<string?> values)
    {
        foreach (var value in values)
        {
            if (value is not null && !IsStorable(value))
            {
                return new ArgumentException("text with U+0000 or an unpaired surrogate cannot be stored in PostgreSQL");
            }
        }

        return null;
    }

    private static bool IsStorable(ReadOnlySpan<char> text)
    {
        if (text.Contains('\0'))
        {
            return false;
        }

        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out _, out var consumed) != OperationStatus.Done)
            {
                return false;
            }

            text = text[consumed..];
        }

        return true;
    }
}
