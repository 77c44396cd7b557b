using System.Globalization;

namespace RepSec.Protocol.Entities;

public static partial class EntityCanonicalizer
{
    // UTS 46 processing with STD3 rules: LDH labels only; mapping lowercases and folds width.
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    private static (string?, string) CanonicalizeDomain(string input)
    {
        const string Invalid = "not a valid domain name";
        var name = input.EndsWith('.') ? input[..^1] : input;
        if (name.Length is 0 or > 1024)
        {
            return (null, Invalid);
        }

        string ascii;
        if (IsPlainLdh(name))
        {
            // Nothing for UTS 46 to map or check: lowercasing is the whole of it. The checks below still apply.
            ascii = name.ToLowerInvariant();
        }
        else
        {
            try
            {
                ascii = Idn.GetAscii(name).ToLowerInvariant();
            }
            catch (ArgumentException)
            {
                return (null, Invalid);
            }
        }

        if (ascii.Length > 253)
        {
            return (null, "a domain name is at most 253 characters");
        }

        var lastLabelStart = 0;
        var labelStart = 0;
        for (var i = 0; i <= ascii.Length; i++)
        {
            if (i < ascii.Length && ascii[i] != '.')
            {
                if (!(char.IsAsciiLetterLower(ascii[i]) || char.IsAsciiDigit(ascii[i]) || ascii[i] == '-'))
                {
                    return (null, Invalid);
                }

                continue;
            }

            var label = ascii.AsSpan(labelStart, i - labelStart);
            if (label.IsEmpty || label.Length > 63 || label[0] == '-' || label[^1] == '-')
            {
                return (null, Invalid);
            }

            lastLabelStart = labelStart;
            labelStart = i + 1;
        }

        // An all-numeric top label is never a domain (RFC 3696 section 2); it is an address.
        return IsAsciiDigits(ascii.AsSpan(lastLabelStart)) ? (null, Invalid) : (ascii, "");
    }

    /// <summary>ASCII letters, digits, hyphens and dots only, and no A-label (whose punycode ICU must validate).</summary>
    private static bool IsPlainLdh(string name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
            {
                return false;
            }
        }

        return !name.Contains("xn--", StringComparison.OrdinalIgnoreCase);
    }
}
