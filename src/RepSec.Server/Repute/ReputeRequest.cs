using RepSec.Protocol.Entities;
using RepSec.Server.Rdap.Queries;

namespace RepSec.Server.Repute;

internal enum ReputeRequestKind
{
    /// <summary><c>GET /.well-known/repute-template</c>.</summary>
    Template,

    /// <summary><c>GET /repute/repsec/{subject}/{assertion}{?type}</c>.</summary>
    Query,
}

/// <summary>
/// A validated RFC 7072 request. A query carries the readings of its subject (one when <c>?type=</c> names the
/// type) and its assertion, empty when the client left it out.
/// </summary>
internal sealed record ReputeRequest(ReputeRequestKind Kind, IReadOnlyList<CanonicalEntity> Candidates, string Assertion)
{
    public static readonly ReputeRequest Template = new(ReputeRequestKind.Template, [], "");
}

/// <summary>
/// Turns a request target into a <see cref="ReputeRequest"/> or an <see cref="RdapError"/>, with the RDAP parser's
/// strict decoding: anything but the template or a query of the form the template gives is 400, and a query for
/// any application but <c>repsec</c> is 404 (RFC 7072 section 3.2).
/// </summary>
internal static class ReputeRequestParser
{
    public const string TemplatePath = "/.well-known/repute-template";
    public const string QueryRoot = "/repute";
    public const string Application = "repsec";
    public const string TypeParameter = "type";

    /// <summary>Whether the target is RFC 7072's at all: the template, or anything under <c>/repute</c>.</summary>
    public static bool Matches(string target)
    {
        var path = PathOf(target);
        return path == TemplatePath || path == QueryRoot || path.StartsWith(QueryRoot + "/", StringComparison.Ordinal);
    }

    public static bool TryParse(string target, out ReputeRequest request, out RdapError error)
    {
        request = null!;
        if (target.Length > RdapQueryParser.MaxTargetLength)
        {
            error = new RdapError(414, "URI Too Long", $"request targets are limited to {RdapQueryParser.MaxTargetLength} characters");
            return false;
        }

        var path = PathOf(target);
        if (!RdapQueryParser.TryParseParameters(target.Length > path.Length ? target[(path.Length + 1)..] : "", out var parameters, out error))
        {
            return false;
        }

        if (path == TemplatePath)
        {
            return parameters.Count == 0 ? Accept(ReputeRequest.Template, out request, out error)
                : Refuse(RdapError.BadRequest("the template takes no query parameters"), out error);
        }

        // What follows /repute/: the application, the subject, and the assertion, which may be empty (RFC 7072
        // section 3.1: a client that has no assertion expands it to the empty string, leaving a trailing '/').
        var raw = path.Length > QueryRoot.Length + 1 ? path[(QueryRoot.Length + 1)..].Split('/') : [];
        var segments = new List<string>(raw.Length);
        foreach (var text in raw)
        {
            if (!RdapQueryParser.TryDecode(text, plusIsSpace: false, out var segment) || segment is "." or "..")
            {
                return Refuse(RdapError.BadRequest("the path has a dot or badly encoded segment"), out error);
            }

            segments.Add(segment);
        }

        if (segments.Count == 0 || segments[0] != Application)
        {
            return Refuse(RdapError.NotFound($"this server answers reputation queries for the application '{Application}' only"), out error);
        }

        if (segments.Count is < 2 or > 3 || segments[1].Length == 0)
        {
            return Refuse(RdapError.BadRequest(
                $"a reputation query is {QueryRoot}/{Application}/SUBJECT/ASSERTION (the assertion may be empty, a '/' in the subject is %2F); see {TemplatePath}"), out error);
        }

        var subject = segments[1];
        var assertion = segments.Count == 3 ? segments[2] : "";
        if (parameters.Keys.FirstOrDefault(name => name != TypeParameter) is { } unknown)
        {
            return Refuse(RdapError.BadRequest($"unknown query parameter '{unknown}' (a reputation query takes only {TypeParameter})"), out error);
        }

        // An empty ?type= is what a template expands an empty value to: the same as none.
        if (parameters.TryGetValue(TypeParameter, out var typeName) && typeName.Length > 0)
        {
            if (!EntityTypes.TryParse(typeName, out var type))
            {
                return Refuse(RdapError.BadRequest("type must be one of domain, ip, asn, userid, organization"), out error);
            }

            return EntityCanonicalizer.TryCanonicalize(type, subject, out var entity, out var reason)
                ? Accept(new ReputeRequest(ReputeRequestKind.Query, [entity], assertion), out request, out error)
                : Refuse(RdapError.BadRequest($"'{subject}' is not a valid {type.ToWire()}: {reason}"), out error);
        }

        var candidates = EntityCanonicalizer.Candidates(subject);
        return candidates.Count > 0
            ? Accept(new ReputeRequest(ReputeRequestKind.Query, candidates, assertion), out request, out error)
            : Refuse(RdapError.BadRequest($"'{subject}' is not a valid entity of any type"), out error);
    }

    private static string PathOf(string target)
    {
        var questionMark = target.IndexOf('?', StringComparison.Ordinal);
        return questionMark < 0 ? target : target[..questionMark];
    }

    private static bool Accept(ReputeRequest parsed, out ReputeRequest request, out RdapError error)
    {
        request = parsed;
        error = null!;
        return true;
    }

    private static bool Refuse(RdapError refusal, out RdapError error)
    {
        error = refusal;
        return false;
    }
}
