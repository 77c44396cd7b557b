using System.Text.Json;

namespace RepSec.Protocol.Parsing;

public static partial class RequestParser
{
    /// <summary>
    /// Moves past the current value, checking depth and duplicate names inside nested objects.
    /// Returns false when parsing cannot go on (too deep); <paramref name="error"/> holds the first problem.
    /// </summary>
    private static bool SkipValue(ref Utf8JsonReader reader, ParserLimits limits, out ProtocolError? error)
    {
        error = null;
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return true;
        }

        // Name sets for the enclosing objects; a null entry stands for an array.
        var scopes = new Stack<HashSet<string>?>();
        do
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    if (reader.CurrentDepth + 1 > limits.MaxJsonDepth)
                    {
                        error = ProtocolError.BadRequest(ErrorCodes.TooDeep, $"JSON nesting deeper than {limits.MaxJsonDepth}");
                        return false;
                    }

                    scopes.Push(reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    scopes.Pop();
                    break;
                case JsonTokenType.PropertyName:
                    var name = reader.GetString()!;
                    if (!scopes.Peek()!.Add(name))
                    {
                        error ??= Duplicate(name);
                    }

                    break;
            }
        }
        while (scopes.Count > 0 && reader.Read());

        return true;
    }
}
