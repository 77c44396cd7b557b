using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text;
using RepSec.Core.Commands;
using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Writing;
using RepSec.Server.Rdap.Queries;
using RepSec.Server.Rdap.Responses;
using RepSec.Server.Rdap;

namespace RepSec.Server.Repute;

/// <summary>
/// An RFC 7072 answer: the body, its media type, and for successful answers how long it stays fresh (the
/// <c>Expires</c> header and the matching <c>max-age</c>).
/// </summary>
internal sealed record ReputeAnswer(int Status, string ContentType, ReadOnlyMemory<byte> Body, DateTimeOffset? Expires = null, long MaxAgeSeconds = 0);

/// <summary>
/// RFC 7072 reputation queries on the RDAP listener (docs/rdap.md, "Reputation"): the URI template, and queries
/// answered with RFC 7071 reputons from <see cref="ReputationService"/>, written with <see cref="Reputon.Write"/> as
/// every interface writes them. Requests reach it through <see cref="RdapEndpoint"/>'s pipeline, so CORS, methods,
/// authentication, rate limits and signatures are those of RDAP lookups; errors are RDAP error objects.
/// </summary>
internal sealed class ReputeEndpoint(ReputationService reputation, IRegistryStore registry, RdapOptions options, TimeProvider time)
{
    public const string MediaType = "application/reputon+json";
    public const string TemplateMediaType = "text/plain; charset=utf-8";
    private const int TemplateLifetimeSeconds = 86_400;

    /// <summary>Whether the target is RFC 7072's: the template or anything under <c>/repute</c>.</summary>
    public static bool Serves(string target) => ReputeRequestParser.Matches(target);

    public async ValueTask<ReputeAnswer> AnswerAsync(string target, RdapView view, int localPort, CancellationToken cancellationToken)
    {
        if (!reputation.Options.Enabled)
        {
            // Every such path is 404 then, however it is shaped: nothing is served there.
            return Error(view, RdapError.NotFound("this server does not serve reputation (RFC 7072)"));
        }

        if (!ReputeRequestParser.TryParse(target, out var request, out var error))
        {
            return Error(view, error);
        }

        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        if (request.Kind == ReputeRequestKind.Template)
        {
            return Fresh(200, TemplateMediaType, Encoding.UTF8.GetBytes(Template(localPort)), now, now.AddSeconds(TemplateLifetimeSeconds));
        }

        var (chosen, registered) = await ReputationEntity.ChooseAsync(request.Candidates, registry, cancellationToken);
        if (chosen is not { } subject)
        {
            var types = string.Join(" and ", registered.Select(c => c.Type.ToWire()));
            return Error(view, RdapError.BadRequest($"the subject is registered as {types}; add ?type= with one of them"));
        }

        var answer = await reputation.ViewAsync(subject, cancellationToken);
        // An assertion this server does not know simply has no reputons: RFC 7071 reads an empty set as "no information".
        IReadOnlyList<Reputon> reputons = request.Assertion.Length == 0
            ? answer.Reputons
            : [.. answer.Reputons.Where(r => string.Equals(r.Assertion, request.Assertion, StringComparison.Ordinal))];

        // RFC 7072 section 3.3: an Expires header must agree with the reputons' own expiry.
        var expires = reputons.Count > 0 ? reputons.Min(r => r.Expires) : now.AddSeconds(reputation.Options.ReputonTtlSeconds);
        var body = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString(ReputationNames.Application, ReputeRequestParser.Application);
            Reputon.WriteArray(json, ReputationNames.Reputons, reputons);
            json.WriteEndObject();
        }

        return Fresh(200, MediaType, body.WrittenMemory, now, expires);
    }

    /// <summary>
    /// The one template this server serves (RFC 7072 section 3.1). The client fills <c>service</c> with the host it
    /// fetched the template from; the port is the one it connected to, unless a public base URL is configured.
    /// </summary>
    public string Template(int localPort)
    {
        var root = options.BaseUrl?.TrimEnd('/') ?? (localPort == 443 ? "https://{service}" : $"https://{{service}}:{localPort.ToString(CultureInfo.InvariantCulture)}");
        return $"{root}{ReputeRequestParser.QueryRoot}/{{application}}/{{subject}}/{{assertion}}{{?{ReputeRequestParser.TypeParameter}}}";
    }

    private static ReputeAnswer Fresh(int status, string contentType, ReadOnlyMemory<byte> body, DateTimeOffset now, DateTimeOffset expires) =>
        new(status, contentType, body, expires, Math.Max(0, expires.ToUnixTimeSeconds() - now.ToUnixTimeSeconds()));

    private static ReputeAnswer Error(RdapView view, RdapError error)
    {
        using var writer = new RdapWriter(view);
        writer.WriteError(error);
        return new ReputeAnswer(error.Status, RdapWriter.MediaType, writer.WrittenMemory.ToArray());
    }
}
