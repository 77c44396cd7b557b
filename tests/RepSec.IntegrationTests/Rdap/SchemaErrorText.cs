using Newtonsoft.Json;
using NJsonSchema;
using NJsonSchema.Validation;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>Turns NJsonSchema's nested errors into one line per failed assertion, each with a JSON path and the value.</summary>
internal static class SchemaErrorText
{
    private const int ValueLength = 80;

    public static IEnumerable<string> Describe(ValidationError error) => Describe(error, indent: "");

    /// <summary>"$" for the root, "$.a.b[0]" below it, from NJsonSchema's "#/a.b[0]" or Newtonsoft's "a.b[0]".</summary>
    public static string JsonPath(string? path)
    {
        path = path?.TrimStart('#').TrimStart('/');
        return string.IsNullOrEmpty(path) ? "$" : path.StartsWith('[') ? "$" + path : "$." + path;
    }

    private static IEnumerable<string> Describe(ValidationError error, string indent)
    {
        switch (error)
        {
            // Wrappers whose own message says nothing the children do not.
            case ChildSchemaValidationError child when error.Kind is ValidationErrorKind.NotAllOf or ValidationErrorKind.ArrayItemNotValid
                or ValidationErrorKind.AdditionalItemNotValid or ValidationErrorKind.AdditionalPropertiesNotValid:
                foreach (var line in child.Errors.Values.SelectMany(e => e).SelectMany(e => Describe(e, indent)))
                {
                    yield return line;
                }

                break;
            case ChildSchemaValidationError child:
                var passed = child.Errors.Count(e => e.Value.Count == 0);
                yield return error.Kind == ValidationErrorKind.NotOneOf && passed > 1
                    ? $"{indent}{Where(error)}: {Value(error)} matches {passed} alternatives of a oneOf; exactly one must match"
                    : $"{indent}{Where(error)}: {Value(error)} matches none of the {(error.Kind == ValidationErrorKind.NotOneOf ? "oneOf" : "anyOf")} alternatives:";
                var index = 0;
                foreach (var alternative in child.Errors.Values)
                {
                    index++;
                    foreach (var line in alternative.SelectMany(e => Describe(e, indent + "    ")))
                    {
                        yield return $"{indent}  [{index}] {line.TrimStart()}";
                    }
                }

                break;
            case MultiTypeValidationError multi:
                yield return $"{indent}{Where(error)}: {Value(error)} is none of the types {string.Join(", ", multi.Errors.Keys)}";
                break;
            default:
                yield return $"{indent}{Where(error)}: {Text(error)}";
                break;
        }
    }

    private static string Text(ValidationError error) => error.Kind switch
    {
        // Registry formats report NotInEnumeration too; the format says which registry.
        _ when error.Schema is { Format: { Length: > 0 } format, Enumeration.Count: 0 } => $"{Value(error)} is not {RdapFormats.Meaning(format)}",
        ValidationErrorKind.PropertyRequired => $"required member \"{error.Property}\" is missing",
        ValidationErrorKind.NoAdditionalPropertiesAllowed => $"member \"{error.Property}\" is not allowed here",
        ValidationErrorKind.NotInEnumeration =>
            $"{Value(error)} is not one of {string.Join(", ", error.Schema.Enumeration.Select(v => JsonConvert.SerializeObject(v)))}",
        ValidationErrorKind.PatternMismatch => $"{Value(error)} does not match /{error.Schema.Pattern}/",
        ValidationErrorKind.ExcludedSchemaValidates => Excluded(error),
        ValidationErrorKind.TooManyItemsInTuple => $"{Value(error)} is one item too many",
        ValidationErrorKind.TooFewItems => $"{Value(error)} has fewer than {error.Schema.MinItems} item(s)",
        ValidationErrorKind.ItemsNotUnique => $"{Value(error)} has duplicate items",
        ValidationErrorKind.NumberTooSmall => $"{Value(error)} is below the minimum {error.Schema.Minimum}",
        ValidationErrorKind.NumberTooBig => $"{Value(error)} is above the maximum {error.Schema.Maximum}",
        ValidationErrorKind.StringExpected => $"{Value(error)} is not a string",
        ValidationErrorKind.NumberExpected => $"{Value(error)} is not a number",
        ValidationErrorKind.IntegerExpected => $"{Value(error)} is not an integer",
        ValidationErrorKind.BooleanExpected => $"{Value(error)} is not a boolean",
        ValidationErrorKind.ObjectExpected => $"{Value(error)} is not an object",
        ValidationErrorKind.ArrayExpected => $"{Value(error)} is not an array",
        _ => $"{Value(error)}: {error.Kind}",
    };

    // A "not" either comes from a rewritten draft-07 keyword or says which members must not appear together.
    private static string Excluded(ValidationError error) => error.Schema.Not switch
    {
        { Type: JsonObjectType.Array, Item: not null } => "no element matches what the array must contain",
        { RequiredProperties.Count: 1, Properties.Count: 0 } exclusion => $"must not have \"{exclusion.RequiredProperties.Single()}\"",
        { RequiredProperties.Count: > 1, Properties.Count: 0 } exclusion => $"must not have all of {string.Join(", ", exclusion.RequiredProperties)}",
        _ => $"{Value(error)} matches a schema it must not match",
    };

    // Property errors point at the parent object's path plus the member name; everything else at the value itself.
    private static string Where(ValidationError error) => JsonPath(error.Path);

    private static string Value(ValidationError error)
    {
        var text = error.Token?.ToString(Formatting.None) ?? "(nothing)";
        return text.Length <= ValueLength ? text : string.Concat(text.AsSpan(0, ValueLength), "...");
    }
}
