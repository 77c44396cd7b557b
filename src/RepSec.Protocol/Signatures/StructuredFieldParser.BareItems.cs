using System.Globalization;
using System.Text;

namespace RepSec.Protocol.Signatures;

internal static partial class StructuredFieldParser
{
    /// <summary>The bare item parsers of RFC 8941 §4.2.4 to §4.2.8; each starts at the item's first character.</summary>
    private sealed partial class Reader
    {
        private bool TryParseNumber(out SfBareItem value)
        {
            value = default;
            var start = _position;
            var negative = TryConsume('-');
            var digitsStart = _position;
            var dot = -1;
            while (!AtEnd && (char.IsAsciiDigit(Current) || (Current == '.' && dot < 0)))
            {
                if (Current == '.')
                {
                    if (_position - digitsStart > 12)
                    {
                        return Fail("a decimal has more than 12 integer digits");
                    }

                    dot = _position;
                }

                _position++;
                if (_position - digitsStart > (dot < 0 ? 15 : 16))
                {
                    return Fail("a number is too long");
                }
            }

            var digits = input.AsSpan(digitsStart, _position - digitsStart);
            if (digits.IsEmpty || !char.IsAsciiDigit(digits[0]))
            {
                return Fail("a number has no digits");
            }

            if (dot < 0)
            {
                var magnitude = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
                value = negative ? -magnitude : magnitude;
                return true;
            }

            var fraction = _position - dot - 1;
            if (fraction is < 1 or > 3)
            {
                return Fail("a decimal has one to three fractional digits");
            }

            value = new SfBareItem(decimal.Parse(input.AsSpan(start, _position - start), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
            return true;
        }

        private bool TryParseString(out SfBareItem value)
        {
            value = default;
            _position++; // '"'
            var builder = new StringBuilder();
            while (!AtEnd)
            {
                var c = input[_position++];
                if (c == '\\')
                {
                    if (AtEnd || Current is not ('"' or '\\'))
                    {
                        return Fail("only '\"' and '\\' are escaped in a string");
                    }

                    builder.Append(input[_position++]);
                }
                else if (c == '"')
                {
                    value = builder.ToString();
                    return true;
                }
                else if (c is < ' ' or > '~')
                {
                    return Fail("a string holds printable ASCII only");
                }
                else
                {
                    builder.Append(c);
                }
            }

            return Fail("a string is not closed");
        }

        private bool TryParseToken(out SfBareItem value)
        {
            var start = _position;
            while (!AtEnd && IsTokenChar(Current))
            {
                _position++;
            }

            value = new SfToken(input[start.._position]);
            return true;
        }

        private bool TryParseByteSequence(out SfBareItem value)
        {
            value = default;
            _position++; // ':'
            var start = _position;
            while (!AtEnd && Current != ':')
            {
                if (!(char.IsAsciiLetterOrDigit(Current) || Current is '+' or '/' or '='))
                {
                    return Fail("a byte sequence holds base64 only");
                }

                _position++;
            }

            if (AtEnd)
            {
                return Fail("a byte sequence is not closed");
            }

            var text = input.AsSpan(start, _position - start);
            _position++; // ':'
            var bytes = new byte[(text.Length + 3) / 4 * 3];
            // RFC 8941 §4.2.7 lets a parser synthesize missing padding; anything else malformed fails.
            var padded = text.Length % 4 == 0 ? text.ToString() : text.ToString() + new string('=', 4 - (text.Length % 4));
            if (!Convert.TryFromBase64String(padded, bytes, out var written))
            {
                return Fail("a byte sequence is not valid base64");
            }

            value = bytes[..written];
            return true;
        }

        private bool TryParseBoolean(out SfBareItem value)
        {
            value = default;
            _position++; // '?'
            if (TryConsume('1'))
            {
                value = true;
                return true;
            }

            if (TryConsume('0'))
            {
                value = false;
                return true;
            }

            return Fail("a boolean is ?1 or ?0");
        }
    }
}
