namespace RepSec.Protocol.Signatures;

internal static partial class StructuredFieldParser
{
    /// <summary>
    /// A cursor over the field. Each TryParse method either advances past what it read or records the first
    /// error; callers stop at the first false, so <see cref="Error"/> is always the earliest problem.
    /// </summary>
    private sealed partial class Reader(string input)
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
    }
}
