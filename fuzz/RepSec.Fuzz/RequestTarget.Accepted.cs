using System.Text;
using System.Text.Json;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Parsing;

namespace RepSec.Fuzz;

internal static partial class RequestTarget
{
    /// <summary>The longest command the request keeps; a longer one reads as 64 '?' (never a real command).</summary>
    private const int MaxCommandChars = 64;

    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 256 };

    /// <summary>An accepted line is one JSON object without duplicate names, and the request holds its members.</summary>
    private static void CheckAccepted(byte[] line, Request request)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, Strict);
        }
        catch (JsonException e)
        {
            throw new InvariantViolationException($"an accepted line is not JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            Invariant.That(root.ValueKind == JsonValueKind.Object, "an accepted line is not an object");
            NoDuplicateNames(root);
            var extra = new List<KeyValuePair<string, string>>();
            var sawCommand = false;
            foreach (var member in root.EnumerateObject())
            {
                var value = member.Value;
                switch (member.Name)
                {
                    case "command":
                        sawCommand = true;
                        CheckCommand(value, request);
                        break;
                    case "id":
                        Invariant.That(value.ValueKind is JsonValueKind.String or JsonValueKind.Number, "an id of another type was accepted");
                        Invariant.That(value.GetRawText() == Encoding.UTF8.GetString(request.RawId), "the id is not the one sent");
                        break;
                    case "auth":
                        Invariant.That(value.GetString() == request.Auth, "auth is not the one sent");
                        break;
                    case "entity":
                        Invariant.That(value.GetString() == request.Entity, "entity is not the one sent");
                        break;
                    case "type":
                        Invariant.That(value.GetString() == request.Type, "type is not the one sent");
                        break;
                    case "client":
                        Invariant.That(value.GetString() == request.Client, "client is not the one sent");
                        break;
                    case "nonce":
                        Invariant.That(value.GetString() == request.Nonce && RequestParser.IsValidNonce(request.Nonce!), "nonce is not the one sent");
                        break;
                    case "timestamp":
                        Invariant.That(Rfc3339.TryParseUtc(value.GetString()!, out var timestamp) && timestamp == request.Timestamp
                            && timestamp.Offset == TimeSpan.Zero, "timestamp is not the one sent, in UTC");
                        break;
                    case "attributes":
                        Invariant.That(value.ValueKind == JsonValueKind.Null ? request.AttributesJson is null : value.GetRawText() == request.AttributesJson,
                            "attributes are not the ones sent");
                        break;
                    default:
                        extra.Add(new(member.Name, value.GetRawText()));
                        break;
                }
            }

            Invariant.That(sawCommand == request.HasCommand, "the command's presence is misreported");
            Invariant.That(extra.SequenceEqual(request.Extra), "extra members are not the ones sent, in order");
            foreach (var absent in new[] { ("auth", request.Auth), ("entity", request.Entity), ("type", request.Type), ("client", request.Client), ("nonce", request.Nonce) })
            {
                Invariant.That(absent.Item2 is null || root.TryGetProperty(absent.Item1, out _), $"{absent.Item1} was set without being sent");
            }
        }

        if (request.Entity is not null)
        {
            CheckEntity(request.Entity);
        }
    }

    /// <summary>
    /// A command of more than 64 bytes as sent is no command: it is kept as 64 '?' without being decoded (so an
    /// invalid escape in it goes unnoticed until unknown_command). Any shorter one is the string sent.
    /// </summary>
    private static void CheckCommand(JsonElement value, Request request)
    {
        var sentBytes = Encoding.UTF8.GetByteCount(value.GetRawText()) - 2;
        if (sentBytes > MaxCommandChars)
        {
            Invariant.That(request.Command.Length == MaxCommandChars && !request.Command.ContainsAnyExcept('?'), "an over-long command was kept");
            return;
        }

        string command;
        try
        {
            command = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new InvariantViolationException("a command with an invalid escape was accepted");
        }

        Invariant.That(command.AsSpan().SequenceEqual(request.Command), "the command is not the one sent");
    }

    private static void NoDuplicateNames(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var member in element.EnumerateObject())
                {
                    Invariant.That(names.Add(member.Name), $"member '{member.Name}' appears twice in an accepted line");
                    NoDuplicateNames(member.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    NoDuplicateNames(item);
                }

                break;
        }
    }

    /// <summary>Every canonical form is a fixed point: canonicalizing it again gives the same value and key.</summary>
    public static void CheckEntity(string entity)
    {
        foreach (var type in EntityTypes.All)
        {
            if (!EntityCanonicalizer.TryCanonicalize(type, entity, out var canonical, out _))
            {
                continue;
            }

            Invariant.That(canonical.Type == type, "canonicalization changed the type");
            Invariant.That(EntityCanonicalizer.TryCanonicalize(type, canonical.Value, out var again, out var error),
                $"the canonical {type.ToWire()} '{canonical.Value}' of '{entity}' is refused: {error}");
            Invariant.That(again == canonical, $"the canonical {type.ToWire()} '{canonical.Value}' of '{entity}' canonicalizes to '{again.Value}' (key '{again.Key}')");
        }

        Invariant.That(EntityCanonicalizer.Candidates(entity).Count <= EntityTypes.All.Length, "more candidates than types");
    }
}
