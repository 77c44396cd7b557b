using System.Globalization;
using System.Text;

namespace RepSec.Protocol.Signatures;

internal static partial class StructuredFieldParser
{
    /// <summary>
    /// A cursor over the field. Each TryParse method either advances past what it read or records the first
    /// error; callers stop at the first false, so <see cref="Error"/> is always the earliest problem.
    /// </summary>
    private sealed class Reader(string input)
    {
        private int _position;

        public string? Error { get; private set; }

        public bool AtEnd => _position >= input.Length;

        private char Current => input[_position];

        public bool Fail(string message)
        {
            Error ??= $"{message} (at offset {_position})";
            return false;
        }

        public bool TryConsume(char c)
        {
            if (AtEnd || Current != c)
            {
                return false;
            }

            _position++;
            return true;
        }

        public void SkipSpaces()
        {
            while (!AtEnd && Current == ' ')
            {
                _position++;
            }
        }

        public void SkipOptionalWhitespace()
        {
            while (!AtEnd && Current is ' ' or '\t')
            {
                _position++;
            }
        }

        public bool TryParseKey(out string key)
        {
            key = "";
            if (AtEnd || !IsKeyStart(Current))
            {
                return Fail("a key starts with a lowercase letter or '*'");
            }

            var start = _position;
            while (!AtEnd && IsKeyChar(Current))
            {
                _position++;
            }

            key = input[start.._position];
            return true;
        }

        public bool TryParseItemOrInnerList(out object member)
        {
            if (!AtEnd && Current == '(')
            {
                var ok = TryParseInnerList(out var list);
                member = list;
                return ok;
            }

            var itemOk = TryParseItem(out var item);
            member = item;
            return itemOk;
        }

        private bool TryParseInnerList(out SfInnerList list)
        {
            list = new SfInnerList([], SfParameters.Empty);
            _position++; // '('
            var items = new List<SfItem>();
            while (!AtEnd)
            {
                SkipSpaces();
                if (TryConsume(')'))
                {
                    if (!TryParseParameters(out var parameters))
                    {
                        return false;
                    }

                    list = new SfInnerList(items, parameters);
                    return true;
                }

                if (items.Count >= MaxMembers)
                {
                    return Fail($"more than {MaxMembers} items in an inner list");
                }

                if (!TryParseItem(out var item))
                {
                    return false;
                }

                items.Add(item);
                if (AtEnd || Current is not (' ' or ')'))
                {
                    return Fail("inner list items are separated by a space");
                }
            }

            return Fail("an inner list is not closed");
        }

        private bool TryParseItem(out SfItem item)
        {
            item = new SfItem(false, SfParameters.Empty);
            if (!TryParseBareItem(out var value) || !TryParseParameters(out var parameters))
            {
                return false;
            }

            item = new SfItem(value, parameters);
            return true;
        }

        public bool TryParseParameters(out SfParameters parameters)
        {
            parameters = SfParameters.Empty;
            List<KeyValuePair<string, SfBareItem>>? entries = null;
            while (TryConsume(';'))
            {
                SkipSpaces();
                if (!TryParseKey(out var key))
                {
                    return false;
                }

                SfBareItem value = true;
                if (TryConsume('=') && !TryParseBareItem(out value))
                {
                    return false;
                }

                entries ??= [];
                if (!Upsert(entries, key, value))
                {
                    return Fail($"more than {MaxMembers} parameters");
                }
            }

            if (entries is not null)
            {
                parameters = new SfParameters(entries);
            }

            return true;
        }

        private bool TryParseBareItem(out SfBareItem value)
        {
            value = default;
            if (AtEnd)
            {
                return Fail("an item is missing");
            }

            var c = Current;
            return c switch
            {
                '-' or (>= '0' and <= '9') => TryParseNumber(out value),
                '"' => TryParseString(out value),
                ':' => TryParseByteSequence(out value),
                '?' => TryParseBoolean(out value),
                _ when IsTokenStart(c) => TryParseToken(out value),
                _ => Fail("not the start of an item"),
            };
        }

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
