using Newtonsoft.Json.Linq;
using NJsonSchema.Validation;
using NJsonSchema.Validation.FormatValidators;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>
/// Every "format" the RDAP schemas use, as a real check. These replace NJsonSchema's built-in validators rather than
/// join them: NJsonSchema accepts a value when any validator registered for its format does, so a lenient built-in
/// next to a strict one would still decide.
/// </summary>
internal static class RdapFormats
{
    private static readonly Dictionary<string, (Func<string, bool> IsValid, ValidationErrorKind Kind, string Meaning)> Checks = new(StringComparer.Ordinal)
    {
        ["role"] = (RdapRegistries.Roles.Contains, ValidationErrorKind.NotInEnumeration, "a registered RDAP role"),
        ["status"] = (RdapRegistries.Statuses.Contains, ValidationErrorKind.NotInEnumeration, "a registered RDAP status"),
        ["eventAction"] = (RdapRegistries.EventActions.Contains, ValidationErrorKind.NotInEnumeration, "a registered RDAP event action"),
        ["noticeAndRemark"] = (RdapRegistries.NoticeAndRemarkTypes.Contains, ValidationErrorKind.NotInEnumeration, "a registered notice and remark type"),
        ["variantRelation"] = (RdapRegistries.VariantRelations.Contains, ValidationErrorKind.NotInEnumeration, "a registered domain variant relation"),
        ["rdapExtensions"] = (RdapRegistries.RdapExtensions.Contains, ValidationErrorKind.NotInEnumeration, "a registered RDAP extension identifier"),
        ["linkRelations"] = (RdapRegistries.LinkRelations.Contains, ValidationErrorKind.NotInEnumeration, "a registered link relation type"),
        ["mediaTypes"] = (TextSyntax.IsMediaType, ValidationErrorKind.Unknown, "a media type (type/subtype)"),
        ["ipv4-validation"] = (TextSyntax.IsIpv4, ValidationErrorKind.IpV4Expected, "a dotted-decimal IPv4 address"),
        ["ipv6-validation"] = (TextSyntax.IsIpv6, ValidationErrorKind.IpV6Expected, "an RFC 4291 IPv6 address"),
        ["hostname-in-uri"] = (TextSyntax.IsHostInUri, ValidationErrorKind.HostnameExpected, "a URI whose host is a host name or IP address"),
        ["idn-hostname"] = (TextSyntax.IsIdnHostname, ValidationErrorKind.HostnameExpected, "a host name (LDH or U-labels)"),
        ["idn-email"] = (TextSyntax.IsIdnEmail, ValidationErrorKind.EmailExpected, "an internationalized email address"),
        ["email"] = (TextSyntax.IsEmail, ValidationErrorKind.EmailExpected, "an email address"),
        ["image"] = (TextSyntax.IsImage, ValidationErrorKind.UriExpected, "an image URI"),
        ["uri"] = (TextSyntax.IsUri, ValidationErrorKind.UriExpected, "an absolute URI"),
        ["date-time"] = (TextSyntax.IsDateTime, ValidationErrorKind.DateTimeExpected, "an RFC 3339 date-time"),
        ["date"] = (TextSyntax.IsDate, ValidationErrorKind.DateExpected, "an RFC 3339 full-date"),
        ["time"] = (TextSyntax.IsTime, ValidationErrorKind.TimeExpected, "an RFC 3339 full-time"),
    };

    public static IReadOnlyCollection<string> Names => Checks.Keys;

    /// <summary>What a value of <paramref name="format"/> must be, for error messages.</summary>
    public static string Meaning(string format) => Checks.TryGetValue(format, out var check) ? check.Meaning : $"format '{format}'";

    /// <summary>Validator settings that know exactly these formats and none of NJsonSchema's defaults.</summary>
    public static JsonSchemaValidatorSettings CreateSettings() => new()
    {
        FormatValidators = [.. Checks.Select(c => new Validator(c.Key, c.Value.IsValid, c.Value.Kind))],
    };

    private sealed class Validator(string format, Func<string, bool> isValid, ValidationErrorKind kind) : IFormatValidator
    {
        public string Format => format;

        public ValidationErrorKind ValidationErrorKind => kind;

        public bool IsValid(string value, JTokenType tokenType) => isValid(value);
    }
}
