using System.Globalization;
using System.Text.Json;
using RepSec.Core.Commands;
using RepSec.Core.Registry;
using RepSec.Core.Security;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Writing;
using RepSec.Server.Rdap.Responses;

namespace RepSec.Server.Transparency;

/// <summary>
/// The transparency log over HTTPS, for browsers (the web console) and any HTTP client, on the RDAP listener after
/// its authentication and rate limits:
/// <list type="bullet">
/// <item><c>GET /log/checkpoint</c>: the latest signed checkpoint and the log's verifier key (and, to a signed-in
/// reader, its name and role).</item>
/// <item><c>GET /log/consistency?from=M&amp;to=N</c>: the RFC 9162 consistency proof between two tree sizes.</item>
/// <item><c>GET /log/history?entity=E[&amp;type=T]</c>: an entity's entries with their leaf commitments, the key
/// that opens the subject (the reader named the entity), inclusion proofs, and the checkpoint they are proven in.
/// Actors are shown as AUDIT shows them: to auditors and admins, and to the actor itself; to anyone else (anonymous
/// readers included) they are withheld, the actor commitment alone proving an entry's place in the log.</item>
/// </list>
/// Checkpoints and proofs are hashes only, as on the RepSec port, where anyone may ask for them.
/// </summary>
internal sealed class LogEndpoint(IRegistryStore store, TransparencyLog log)
{
    public const string Prefix = "/log/";
    public static bool Serves(string target) => target.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The answer's status and JSON body.</summary>
    public async Task<(int Status, ReadOnlyMemory<byte> Body)> AnswerAsync(string target, Principal reader, CancellationToken cancellationToken)
    {
        var (path, parameters) = JsonAnswer.Split(target);
        string? Parameter(string name) => parameters.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;
        return path switch
        {
            "/log/checkpoint" => await CheckpointAsync(reader, cancellationToken),
            "/log/consistency" => await ConsistencyAsync(Parameter("from"), Parameter("to"), cancellationToken),
            "/log/history" => await HistoryAsync(Parameter("entity"), Parameter("type"), reader, cancellationToken),
            _ => JsonAnswer.Error(404, "no such transparency resource (checkpoint, consistency, history)"),
        };
    }

    /// <summary>The latest checkpoint; to a signed-in reader also who they are to the server (the console shows it).</summary>
    private async Task<(int, ReadOnlyMemory<byte>)> CheckpointAsync(Principal reader, CancellationToken cancellationToken)
    {
        var checkpoint = await log.LatestCheckpointAsync(cancellationToken);
        return JsonAnswer.Ok(json =>
        {
            json.WriteNumber(ResponseNames.TreeSize, checkpoint.Size);
            json.WriteString(ResponseNames.Checkpoint, checkpoint.Note);
            json.WriteString("log_key", log.Key.VerifierKey);
            if (!reader.IsAnonymous)
            {
                json.WriteStartObject("reader");
                json.WriteString("name", reader.Name);
                json.WriteString("role", reader.Role.ToWire());
                json.WriteEndObject();
            }
        });
    }

    private async Task<(int, ReadOnlyMemory<byte>)> ConsistencyAsync(string? fromText, string? toText, CancellationToken cancellationToken)
    {
        var latest = await log.LatestCheckpointAsync(cancellationToken);
        if (!long.TryParse(fromText, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            || !long.TryParse(toText, NumberStyles.None, CultureInfo.InvariantCulture, out var to)
            || from < 1 || from > to || to > latest.Size)
        {
            return JsonAnswer.Error(400, $"give from and to, tree sizes with 1 <= from <= to <= {latest.Size}");
        }

        var proof = await log.ConsistencyProofAsync(from, to, cancellationToken);
        return JsonAnswer.Ok(json =>
        {
            json.WriteNumber("from", from);
            json.WriteNumber("to", to);
            WriteHashes(json, "proof", proof);
        });
    }

    private async Task<(int, ReadOnlyMemory<byte>)> HistoryAsync(string? entity, string? typeName, Principal reader, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(entity))
        {
            return JsonAnswer.Error(400, "give the entity: /log/history?entity=example.com");
        }

        List<CanonicalEntity> candidates;
        if (typeName is null)
        {
            candidates = EntityCanonicalizer.Candidates(entity);
        }
        else if (EntityTypes.TryParse(typeName, out var type) && EntityCanonicalizer.TryCanonicalize(type, entity, out var typed, out _))
        {
            candidates = [typed];
        }
        else
        {
            return JsonAnswer.Error(400, $"'{entity}' is not a valid {typeName}");
        }

        (CanonicalEntity Entity, IReadOnlyList<AuditEntry> History)? found = null;
        foreach (var candidate in candidates)
        {
            if (await store.GetHistoryAsync(candidate.Type, candidate.Key, cancellationToken) is { Count: > 0 } history)
            {
                if (found is not null)
                {
                    return JsonAnswer.Error(400, "the entity exists under more than one type; give type=");
                }

                found = (candidate, history);
            }
        }

        if (found is not { } match)
        {
            return JsonAnswer.Error(404, "no history: the entity was never registered or reported");
        }

        // The history was read first, so the checkpoint covers every entry in it.
        var checkpoint = await log.LatestCheckpointAsync(cancellationToken);
        var proofs = await log.InclusionProofsAsync([.. match.History.Select(e => e.Index)], checkpoint.Size, cancellationToken);
        var privileged = reader.Role is Role.Admin or Role.Auditor;
        return JsonAnswer.Ok(json =>
        {
            json.WriteString(ResponseNames.Entity, match.Entity.Value);
            json.WriteString(ResponseNames.Type, match.Entity.Type.ToWire());
            json.WriteString("key", match.Entity.Key);
            AuditCommand.WriteEntries(json, match.History, proofs, entry => privileged || (!reader.IsAnonymous && entry.Actor == reader.Name));
            json.WriteNumber(ResponseNames.TreeSize, checkpoint.Size);
            json.WriteString(ResponseNames.Checkpoint, checkpoint.Note);
        });
    }

    private static void WriteHashes(Utf8JsonWriter json, string name, IEnumerable<byte[]> hashes)
    {
        json.WriteStartArray(name);
        foreach (var hash in hashes)
        {
            json.WriteBase64StringValue(hash);
        }

        json.WriteEndArray();
    }
}
