using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using RepSec.Protocol.Entities;

namespace RepSec.Fuzz.Tests;

/// <summary>An entity as typed by a client, and its canonical value as docs/protocol.md defines it.</summary>
public sealed record GeneratedEntity(EntityType Type, string Input, string Canonical);

public static class Entities
{
    private static Gen<string> Label =>
        from first in Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".ToCharArray())
        from middle in Generators.Text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", 0, 20)
        from last in Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".ToCharArray())
        from single in ArbMap.Default.GeneratorFor<bool>()
        let label = single ? first.ToString() : first + middle + last
        where !label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase)
        select label;

    /// <summary>LDH names in mixed case, with or without the root's trailing dot: canonical is lowercase, no dot.</summary>
    public static Gen<GeneratedEntity> Domain =>
        from labels in Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Label, n))
        from top in Generators.Text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 2, 6)
        from dot in ArbMap.Default.GeneratorFor<bool>()
        let name = string.Join('.', labels.Append(top))
        select new GeneratedEntity(EntityType.Domain, name + (dot ? "." : ""), name.ToLowerInvariant());

    public static Gen<GeneratedEntity> Ipv4 =>
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255), 4)
        from prefix in Gen.Choose(-1, 32)
        let address = string.Join('.', bytes)
        select prefix < 0
            ? new GeneratedEntity(EntityType.Ip, address, address)
            : new GeneratedEntity(EntityType.Ip, $"{address}/{prefix}", prefix == 32 ? address : $"{Mask(bytes, prefix)}/{prefix}");

    /// <summary>IPv6 in the long uppercase form: canonical is RFC 5952 (what a well-tested formatter gives, in hex).</summary>
    public static Gen<GeneratedEntity> Ipv6 =>
        from groups in Gen.ArrayOf(Gen.OneOf(Gen.Constant(0), Gen.Choose(0, 0xFFFF)), 8)
        // IPv4-mapped addresses are IPv4 entities; they have a property of their own.
        where groups.Take(5).Any(g => g != 0) || groups[5] != 0xFFFF
        let input = string.Join(':', groups.Select(g => g.ToString("X4", CultureInfo.InvariantCulture)))
        select new GeneratedEntity(EntityType.Ip, input, Rfc5952(groups));

    public static Gen<GeneratedEntity> Asn =>
        from high in Gen.Choose(0, 65535)
        from low in Gen.Choose(0, 65535)
        from prefix in Gen.Elements("", "AS", "as", "As")
        let number = ((uint)high << 16) | (uint)low
        select new GeneratedEntity(EntityType.Asn, prefix + number.ToString(CultureInfo.InvariantCulture), number.ToString(CultureInfo.InvariantCulture));

    /// <summary>User ids from letters (precomposed or as base plus combining mark): canonical is NFC.</summary>
    public static Gen<GeneratedEntity> UserId =>
        from pieces in Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(Gen.Elements("a", "Z", "7", "_", "-", "@", "\u00e9", "e\u0301", "\u03a9", "\u4e2d", "\U0001F600"), n))
        let input = string.Concat(pieces)
        select new GeneratedEntity(EntityType.UserId, input, input.Normalize(System.Text.NormalizationForm.FormC));

    public static Gen<GeneratedEntity> Organization =>
        from words in Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Generators.Text("abcXYZ\u00df\u00e9", 1, 8), n))
        from pad in Gen.Elements("", " ", "  ")
        let name = string.Join(' ', words)
        select new GeneratedEntity(EntityType.Organization, pad + name + pad, name);

    public static Gen<GeneratedEntity> Any => Gen.OneOf(Domain, Ipv4, Ipv6, Asn, UserId, Organization);

    private static string Mask(int[] bytes, int prefix)
    {
        var value = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | (uint)bytes[3];
        var masked = prefix == 0 ? 0 : value & (uint.MaxValue << (32 - prefix));
        return $"{masked >> 24}.{(masked >> 16) & 0xFF}.{(masked >> 8) & 0xFF}.{masked & 0xFF}";
    }

    /// <summary>RFC 5952 by its rules: lowercase, no leading zeros, the first longest run of 2+ zero groups as "::".</summary>
    private static string Rfc5952(int[] groups)
    {
        int bestStart = -1, bestLength = 1;
        for (var i = 0; i < 8; i++)
        {
            var length = 0;
            while (i + length < 8 && groups[i + length] == 0)
            {
                length++;
            }

            if (length > bestLength)
            {
                (bestStart, bestLength) = (i, length);
            }
        }

        string Hex(IEnumerable<int> part) => string.Join(':', part.Select(g => g.ToString("x", CultureInfo.InvariantCulture)));
        return bestStart < 0
            ? Hex(groups)
            : Hex(groups.Take(bestStart)) + "::" + Hex(groups.Skip(bestStart + bestLength));
    }
}
