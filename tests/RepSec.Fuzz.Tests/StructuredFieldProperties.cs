using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RepSec.Fuzz.Tests;

/// <summary>Signature fields from pieces of RFC 8941 syntax, valid and not, through the fuzz target's checks.</summary>
public sealed class StructuredFieldProperties
{
    private static readonly string[] Pieces =
    [
        "sig1", "a", "*", "=", ";", ",", ", ", " ", "\t", "(", ")", "\"", "\\", ":", "?1", "?0", "-", ".", "0", "12", "3.5",
        "999999999999999", "1234567890123.5", "\"@method\"", "\"x y\"", ":AQID:", ":AQ:", "tok/en", "created=1618884475",
        ";keyid=\"k\"", "\u00e9", "\u0000", "A",
    ];

    private static Gen<string> Key =>
        from first in Gen.Elements("abcxyz*".ToCharArray())
        from rest in Generators.Text("abz09_-.*", 0, 6)
        select first + rest;

    private static Gen<string> BareItem => Gen.OneOf(
        Gen.Choose(-999_999, 999_999).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Elements("0.5", "-12.125", "999999999999.999", "?1", "?0", ":AQID:", "::", ":cGFk:", "tok", "A/b:c", "*x"),
        Generators.Text("abc \"\\!~", 0, 8).Select(t => "\"" + t.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""));

    private static Gen<string> Parameters =>
        from count in Gen.Choose(0, 3)
        from parameters in Gen.ArrayOf(Key.SelectMany(_ => Gen.OneOf(Gen.Constant(""), BareItem.Select(v => "=" + v)), (k, v) => ";" + k + v), count)
        select string.Concat(parameters);

    private static Gen<string> Member =>
        from key in Key
        from inner in Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(BareItem.SelectMany(_ => Parameters, (i, p) => i + p), n))
        from kind in Gen.Choose(0, 2)
        from item in BareItem
        from parameters in Parameters
        select kind switch
        {
            0 => key + parameters,
            1 => key + "=" + item + parameters,
            _ => key + "=(" + string.Join(' ', inner) + ")" + parameters,
        };

    [Property(MaxTest = 1000)]
    public Property Well_formed_dictionaries_are_accepted_and_round_trip() =>
        Prop.ForAll(Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(Member, n)).ToArbitrary(), Gen.Elements(",", ", ", " ,\t").ToArbitrary(), (members, separator) =>
        {
            var field = string.Join(separator, members);

            Assert.Null(StructuredFieldTarget.Check(field));
        });

    [Property(MaxTest = 1000)]
    public Property Fields_parse_or_fail_without_throwing_and_serialize_back_to_themselves() =>
        Prop.ForAll(Gen.Choose(0, 30).SelectMany(n => Gen.ArrayOf(Gen.Elements(Pieces), n)).ToArbitrary(), pieces =>
        {
            // Throws if the parser throws, accepts a broken dictionary, or its canonical form does not round-trip.
            StructuredFieldTarget.Check(string.Concat(pieces));
        });
}
