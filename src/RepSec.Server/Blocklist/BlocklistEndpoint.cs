using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using RepSec.Core;
using RepSec.Core.Reputation;
using RepSec.Server.Rdap.Queries;
using RepSec.Server.Rdap.Responses;

namespace RepSec.Server.Blocklist;

/// <summary>
/// <c>GET /blocklist</c> on the RDAP listener, after its authentication and rate limits: the listed entities
/// (<see cref="ReputationListing"/>) in a format firewalls and DNS servers load (<see cref="BlocklistFormats"/>),
/// streamed from the in-memory reputation table, so memory does not grow with the list. Conditional requests:
/// the <c>ETag</c> is a fingerprint of the list's content (so it changes exactly when the list does, also when
/// reports age out of it), <c>Last-Modified</c> when this node first served that content; <c>If-None-Match</c>
/// (and, without it, <c>If-Modified-Since</c>) answer 304.
/// </summary>
internal sealed class BlocklistEndpoint(
    ReputationListing listing, ReputationAssertions assertions, BlocklistOptions options, ServerOptions server, IOptions<RepSecOptions> protocol, TimeProvider time)
{
    public const string Path = "/blocklist";

    // Requests whose fingerprints are kept; parameters are the client's to vary (min-rating=0.5000001 ...), so beyond
    // this many distinct requests the cache starts over rather than grow.
    private const int MaxFingerprints = 256;

    // Per request (its parameters): the table version and minute the fingerprint was taken at, the fingerprint, and since when it holds.
    private readonly ConcurrentDictionary<string, (long Version, DateTimeOffset AsOf, string ETag, DateTimeOffset Since)> _fingerprints = new();

    public bool AllowsAnonymous => options.AllowAnonymous;

    public static bool Serves(string target) =>
        target.StartsWith(Path, StringComparison.Ordinal) && (target.Length == Path.Length || target[Path.Length] == '?');

    /// <summary>Answers the request, or returns the error to answer instead (nothing written yet then).</summary>
    public async Task<RdapError?> ServeAsync(HttpContext context, string target, bool identified)
    {
        var (_, parameters) = JsonAnswer.Split(target);
        if (!BlocklistQuery.TryParse(parameters, assertions, options, out var query, out var error))
        {
            return new RdapError(400, "Bad Request", error);
        }

        if (!protocol.Value.Reputation.Enabled)
        {
            return new RdapError(404, "Not Found", "the reputation extension is off on this server (RepSec:Reputation:Enabled), so it lists nothing");
        }

        if (!listing.Table.Loaded)
        {
            context.Response.Headers.RetryAfter = "1";
            return new RdapError(503, "Service Unavailable", "the reputation table is still loading; retry in a second");
        }

        var asOf = listing.AsOf();
        var (etag, since) = Fingerprint(query, asOf);
        var response = context.Response;
        response.ContentType = BlocklistFormats.MediaType(query.Format);
        response.Headers.ETag = etag;
        response.Headers.LastModified = since.ToString("R", CultureInfo.InvariantCulture);
        // Fresh for no time: a firewall asks again with If-None-Match and gets 304 until the list changes.
        response.Headers.CacheControl = identified ? "private, no-cache" : "no-cache";
        if (NotModified(context.Request, etag, since))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return null;
        }

        response.StatusCode = StatusCodes.Status200OK;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return null;
        }

        var output = response.BodyWriter;
        using var writer = new BlocklistFormats.Writer(query, listing, server.Dnsbl, asOf);
        writer.Head(output, time.GetUtcNow());
        foreach (var row in listing.All(query.Thresholds, asOf, query.Type))
        {
            if (query.Includes(row.Entity.Type, row.Entity.Key) && writer.Row(output, row) && output.UnflushedBytes >= 32 * 1024)
            {
                await output.FlushAsync(context.RequestAborted);
            }
        }

        writer.Tail(output);
        await output.FlushAsync(context.RequestAborted);
        return null;
    }

    /// <summary>The list's ETag and since when it holds; computed once per table version and minute.</summary>
    private (string ETag, DateTimeOffset Since) Fingerprint(BlocklistQuery query, DateTimeOffset asOf)
    {
        var version = listing.Table.Version;
        if (_fingerprints.TryGetValue(query.Key, out var known) && known.Version == version && known.AsOf == asOf)
        {
            return (known.ETag, known.Since);
        }

        // A sum of each row's hash: the same rows give the same fingerprint in whatever order the table yields them. It
        // starts from the settings the text is written with, so a restart with other codes or TXT changes the tag too.
        var dnsbl = server.Dnsbl;
        var settings = $"{query.Format}|{dnsbl.Ttl}|{dnsbl.DefaultCode}|{dnsbl.TxtUrl}|{string.Join(',', dnsbl.Codes.OrderBy(c => c.Key, StringComparer.Ordinal))}";
        var sum = System.IO.Hashing.XxHash3.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(settings));
        using var writer = new BlocklistFormats.Writer(query, listing, server.Dnsbl, asOf);
        foreach (var row in listing.All(query.Thresholds, asOf, query.Type))
        {
            if (query.Includes(row.Entity.Type, row.Entity.Key))
            {
                sum += writer.Hash(row);
            }
        }

        // Weak: equal lists may come in another order, so equal means equivalent, not byte for byte.
        var etag = $"W/\"{sum:x16}\"";
        var now = time.GetUtcNow();
        var since = known.ETag == etag ? known.Since : new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        if (_fingerprints.Count >= MaxFingerprints && !_fingerprints.ContainsKey(query.Key))
        {
            _fingerprints.Clear();
        }

        _fingerprints[query.Key] = (version, asOf, etag, since);
        return (etag, since);
    }

    private static bool NotModified(HttpRequest request, string etag, DateTimeOffset since)
    {
        var match = request.Headers.IfNoneMatch;
        if (match.Count > 0)
        {
            // RFC 9110 section 13.1.2: weak comparison; "*" matches any current representation.
            return EntityTagHeaderValue.TryParseList(match, out var tags) && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(EntityTagHeaderValue.Parse(etag), useStrongComparison: false));
        }

        return request.Headers.IfModifiedSince.Count == 1
            && DateTimeOffset.TryParseExact(request.Headers.IfModifiedSince[0], "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ims)
            && since <= ims;
    }
}
