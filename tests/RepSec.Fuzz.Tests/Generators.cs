using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace RepSec.Fuzz.Tests;

/// <summary>FsCheck generators for requests as a client would send them, and for what can go wrong on the way.</summary>
public static class Generators
{
    public static readonly string[] Commands =
        ["PING", "HELLO", "REGISTER", "VERIFY", "REMOVE", "AUDIT", "CHECKPOINT", "INCLUSION_PROOF", "CONSISTENCY_PROOF"];

    private const string NonceAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public static Gen<string> Command =>
        from name in Gen.Elements(Commands)
        from upper in Gen.ArrayOf(ArbMap.Default.GeneratorFor<bool>(), name.Length)
        select new string(name.Select((c, i) => upper[i] ? c : char.ToLowerInvariant(c)).ToArray());

    public static Gen<string> Text(string alphabet, int min, int max) =>
        from length in Gen.Choose(min, max)
        from chars in Gen.ArrayOf(Gen.Elements(alphabet.ToCharArray()), length)
        select new string(chars);

    /// <summary>Text with non-ASCII (astral too), quotes, backslashes and controls that JSON must escape.</summary>
    public static Gen<string> AnyText =>
        from length in Gen.Choose(0, 24)
        from pieces in Gen.ArrayOf(Gen.Elements("a", "Z", "0", " ", "_", ".", "\"", "\\", "/", "\t", "\u0001", "\u00e9", "\u00df", "\u03a9", "\u4e2d", "\U0001F600"), length)
        select string.Concat(pieces);

    public static Gen<string?> RawId => Gen.OneOf(
        Gen.Constant<string?>(null),
        Gen.Choose(-1_000_000, 1_000_000).Select(n => (string?)n.ToString(CultureInfo.InvariantCulture)),
        Gen.Elements<string?>("1.50e2", "-0", "0.000", "1E+300", "12345678901234567890123"),
        Text("abcdefghij0123456789-", 0, 40).Select(s => (string?)$"\"{s}\""));

    public static Gen<string> Nonce => Text(NonceAlphabet, 16, 128);

    public static Gen<string> Token =>
        from id in Text("0123456789abcdef", 16, 16)
        from secret in Text(NonceAlphabet, 43, 43)
        select $"rs_{id}_{secret}";

    /// <summary>An RFC 3339 UTC timestamp in one of its legal spellings, and the instant it names (100 ns precision).</summary>
    public static Gen<(string Text, DateTimeOffset Value)> Timestamp =>
        from seconds in Gen.Choose(0, int.MaxValue)
        from fraction in Gen.Choose(0, 9_999_999)
        from digits in Gen.Choose(0, 9)
        from extra in Text("0123456789", 2, 2)
        from t in Gen.Elements("T", "t")
        from zone in Gen.Elements("Z", "z", "+00:00")
        select Spell(DateTimeOffset.UnixEpoch.AddSeconds(seconds), fraction, digits, extra, t, zone);

    private static (string, DateTimeOffset) Spell(DateTimeOffset whole, int fraction, int digits, string extra, string t, string zone)
    {
        var seven = fraction.ToString("D7", CultureInfo.InvariantCulture);
        var shown = digits switch { 0 => "", <= 7 => seven[..digits], _ => seven + extra[..(digits - 7)] };
        var ticks = digits == 0 ? 0 : long.Parse(seven[..Math.Min(digits, 7)].PadRight(7, '0'), CultureInfo.InvariantCulture);
        var text = whole.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + t + whole.ToString("HH:mm:ss", CultureInfo.InvariantCulture)
            + (shown.Length > 0 ? "." + shown : "") + zone;
        return (text, whole.AddTicks(ticks));
    }

    public static Gen<string?> AttributesJson => Gen.Elements<string?>(
        null, "null", "{}", """{"contact":"abuse@example.com"}""", """{"tags":["a","b"],"score":1.5,"nested":{"ok":true}}""",
        """{"\u00e9":"\ud83d\ude00","deep":[[[[{"x":null}]]]]}""");

    public static Gen<KeyValuePair<string, string>[]> Extra =>
        from count in Gen.Choose(0, 3)
        from values in Gen.ArrayOf(Gen.Elements("1", "\"x\"", "[]", "{\"a\":{\"a\":1}}", "[1,[2,[3]]]", "true", "null", "-2.5e-3"), count)
        select values.Select((v, i) => new KeyValuePair<string, string>($"x_{i}", v)).ToArray();

    public static Gen<RequestModel> Request =>
        from command in Command
        from id in RawId
        from auth in Token.OrNull()
        from nonce in Nonce.OrNull()
        from timestamp in Gen.OneOf(Gen.Constant<(string, DateTimeOffset)?>(null), Timestamp.Select(t => ((string, DateTimeOffset)?)t))
        from entity in Gen.OneOf(Entities.Any.Select(e => e.Input), AnyText).OrNull()
        from type in Gen.Elements("domain", "ip", "asn", "userid", "organization", "IP", "Domain").OrNull()
        from client in AnyText.OrNull()
        from attributes in AttributesJson
        from extra in Extra
        from order in Gen.Shuffle(Enumerable.Range(0, 12))
        from escape in ArbMap.Default.GeneratorFor<bool>()
        select new RequestModel(command, id, auth, nonce, timestamp, entity, type, client, attributes, extra, order, escape);

    /// <summary>Single-byte edits: overwrite, insert, delete, each at a position scaled to the line.</summary>
    public static Gen<(int Kind, double At, byte Value)[]> Mutations =>
        from count in Gen.Choose(1, 6)
        from edits in Gen.ArrayOf(
            from kind in Gen.Choose(0, 2)
            from position in Gen.Choose(0, 1_000_000).Select(n => n / 1_000_000.0)
            from value in Gen.OneOf(
                Gen.Elements<byte>((byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)'"', (byte)'\\', (byte)':', (byte)',', (byte)'u',
                    (byte)'0', (byte)' ', (byte)'\r', 0x00, 0x80, 0xC0, 0xED, 0xF4, 0xFF),
                Gen.Choose(0, 255).Select(b => (byte)b))
            select (kind, position, value),
            count)
        select edits;
}
