using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Parsing;
using RepSec.Server.Rdap.Responses;

namespace RepSec.Server.WebConsole;

/// <summary>
/// What the console's operator view reads, for admins only, on the RDAP listener after its authentication and rate
/// limits: <c>GET /admin/stats</c> (this server's request, refusal and rate-limit totals, open connections, the log's
/// size) and <c>GET /admin/changes?cursor=C</c> (the CHANGES feed: entities whose reputation changed, oldest first).
/// </summary>
internal sealed class OperatorEndpoint(OperatorStats stats, TransparencyLog log, ReputationService reputation, TimeProvider time)
{
    public const string Prefix = "/admin/";
    private const int PageSize = 100;

    public static bool Serves(string target) => target.StartsWith(Prefix, StringComparison.Ordinal);

    public async Task<(int Status, ReadOnlyMemory<byte> Body)> AnswerAsync(string target, Principal reader, CancellationToken cancellationToken)
    {
        if (reader.IsAnonymous)
        {
            return JsonAnswer.Error(401, "sign in as an admin");
        }

        if (reader.Role != Role.Admin)
        {
            return JsonAnswer.Error(403, "the operator view is for admins");
        }

        var (path, parameters) = JsonAnswer.Split(target);
        return path switch
        {
            "/admin/stats" => await StatsAsync(cancellationToken),
            "/admin/changes" => await ChangesAsync(parameters.TryGetValue("cursor", out var cursor) ? cursor.ToString() : "", cancellationToken),
            _ => JsonAnswer.Error(404, "no such operator resource (stats, changes)"),
        };
    }

    private async Task<(int, ReadOnlyMemory<byte>)> StatsAsync(CancellationToken cancellationToken)
    {
        var totals = stats.Read();
        var size = (await log.LatestCheckpointAsync(cancellationToken)).Size;
        return JsonAnswer.Ok(json =>
        {
            json.WriteString("at", Rfc3339.Format(time.GetUtcNow()));
            json.WriteString("since", Rfc3339.Format(stats.Since));
            json.WriteNumber("requests", totals["repsec.requests"]);
            json.WriteNumber("rdap_requests", totals["repsec.rdap.requests"]);
            json.WriteNumber("connections_rejected", totals["repsec.connections.rejected"]);
            json.WriteNumber("rate_limited", totals["repsec.rate_limited"]);
            json.WriteNumber("auth_failures", totals["repsec.auth.failures"]);
            json.WriteNumber("log_size", size);
        });
    }

    private async Task<(int, ReadOnlyMemory<byte>)> ChangesAsync(string cursor, CancellationToken cancellationToken)
    {
        if (!ChangeCursor.TryDecode(cursor, out var after))
        {
            return JsonAnswer.Error(400, "cursor is not one this server gave out");
        }

        var page = await reputation.ChangesAsync(after, PageSize, cancellationToken);
        return JsonAnswer.Ok(json =>
        {
            json.WriteStartArray("changes");
            foreach (var (change, view) in page.Changes)
            {
                json.WriteStartObject();
                json.WriteString("entity", view.Source.Value);
                json.WriteString("type", view.Source.Type.ToWire());
                json.WriteString("changed_at", Rfc3339.Format(change.ChangedAt));
                json.WriteBoolean("allowlisted", view.Allowlisted is not null);
                json.WriteStartArray("reputons");
                foreach (var reputon in view.Reputons)
                {
                    reputon.Write(json);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("cursor", ChangeCursor.Encode(page.Last));
            json.WriteBoolean("more", page.More);
        });
    }
}
