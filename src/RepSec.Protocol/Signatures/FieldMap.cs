using System.Text;

namespace RepSec.Protocol.Signatures;

/// <summary>Header fields by case-insensitive name, each already canonicalized as RFC 9421 §2.1 asks.</summary>
internal sealed class FieldMap
{
    private readonly Dictionary<string, string> _fields = new(StringComparer.OrdinalIgnoreCase);

    public FieldMap(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var (name, value) in headers)
        {
            ArgumentException.ThrowIfNullOrEmpty(name, nameof(headers));
            var canonical = Canonicalize(value ?? "");
            _fields[name] = _fields.TryGetValue(name, out var existing) ? existing + ", " + canonical : canonical;
        }
    }

    public bool TryGet(string name, out string value) => _fields.TryGetValue(name, out value!);

    /// <summary>
    /// Trims SP and HTAB and replaces obsolete line folding (CRLF or LF followed by SP or HTAB) with one space.
    /// Any other CR or LF is left in place, and the signature base then refuses the value.
    /// </summary>
    internal static string Canonicalize(string value)
    {
        var trimmed = value.AsSpan().Trim(" \t");
        if (!trimmed.ContainsAny('\r', '\n'))
        {
            return trimmed.Length == value.Length ? value : trimmed.ToString();
        }

        var builder = new StringBuilder(trimmed.Length);
        for (var i = 0; i < trimmed.Length; i++)
        {
            var foldEnd = i;
            if (trimmed[foldEnd] == '\r' && foldEnd + 1 < trimmed.Length && trimmed[foldEnd + 1] == '\n')
            {
                foldEnd++;
            }

            if (trimmed[foldEnd] == '\n' && foldEnd + 1 < trimmed.Length && trimmed[foldEnd + 1] is ' ' or '\t')
            {
                // The fold and the whitespace on both sides of it become a single space.
                while (builder.Length > 0 && builder[^1] is ' ' or '\t')
                {
                    builder.Length--;
                }

                i = foldEnd + 1;
                while (i + 1 < trimmed.Length && trimmed[i + 1] is ' ' or '\t')
                {
                    i++;
                }

                builder.Append(' ');
                continue;
            }

            builder.Append(trimmed[i]);
        }

        return builder.ToString();
    }
}
