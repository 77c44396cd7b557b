using RepSec.Core.Security;

namespace RepSec.Server.Rdap;

/// <summary>RDAP behaviour, bound from <c>RepSec:Rdap</c>. Who sees what is configuration: see <see cref="Disclosure"/>.</summary>
public sealed record RdapOptions
{
    public const string Section = "RepSec:Rdap";

    /// <summary>Whether repsecd serves RDAP at all (on <see cref="ServerOptions.RdapPort"/>).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Who serves HTTP/1.1 on the RDAP port: <c>own</c>, repsecd's own connection loop (the default, for speed), or
    /// <c>kestrel</c>, ASP.NET Core's server for both HTTP/1.1 and HTTP/2, the way back should the own loop misbehave.
    /// </summary>
    public string Http1 { get; init; } = "own";

    /// <summary>True when the RDAP port is served by Kestrel alone.</summary>
    public bool KestrelHttp1 => Http1 == "kestrel";

    /// <summary>The realm of Basic and Digest challenges; Digest secrets are stored for one realm.</summary>
    public string Realm { get; init; } = "repsec";

    /// <summary>Base of <c>self</c> and paging links, e.g. <c>https://rdap.example.net</c>; by default the request's own scheme and host.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>Where the terms of service are; by default <c>/rdap/help</c>.</summary>
    public string? TermsOfServiceUrl { get; init; }

    public string[] TermsOfService { get; init; } =
    [
        "Registry data is provided for lawful purposes only. Contact data is disclosed according to the client's authorization; withheld data is marked as redacted.",
    ];

    /// <summary>Roles whose members form the privileged group (RFC 7481 section 3.3).</summary>
    public string[] PrivilegedRoles { get; init; } = ["admin", "auditor"];

    /// <summary>The contact fields the registry collects at all (RFC 7481 section 4): nothing else is stored or published.</summary>
    public string[] ContactFields { get; init; } = [.. Core.Security.ContactFields.All.Order(StringComparer.Ordinal)];

    public DisclosureOptions Disclosure { get; init; } = new();

    public RdapRateLimitOptions RateLimits { get; init; } = new();

    /// <summary>Results per search page (RFC 8977 paging).</summary>
    public int PageSize { get; init; } = 50;

    /// <summary>Results a search returns over all its pages; beyond this it is truncated, and says so.</summary>
    public int MaxSearchResults { get; init; } = 1_000;

    /// <summary>Whether anonymous clients may search entities (user ids are personal data; off by default).</summary>
    public bool AnonymousEntitySearch { get; init; }

    /// <summary><c>requested</c> (when the client sends <c>Accept-Signature</c>), <c>always</c> or <c>never</c>: RFC 9421 response signatures.</summary>
    public string SignResponses { get; init; } = "requested";

    /// <summary>Lifetime of Digest nonces; an older nonce gets a fresh challenge with <c>stale=true</c>.</summary>
    public int DigestNonceSeconds { get; init; } = 300;

    /// <summary>
    /// <c>Strict-Transport-Security</c> max-age for browsers (RFC 6797); 0 sends none. Never sent to
    /// <c>localhost</c> or loopback addresses, so a development server cannot pin them to HTTPS in a browser.
    /// </summary>
    public int HstsMaxAgeSeconds { get; init; } = 31_536_000;

    /// <summary>
    /// Binds <c>RepSec:Rdap</c>. A list given in configuration replaces its default (the binder alone would append
    /// to it, so an operator could never narrow who sees what); the single value <c>none</c> is the empty list.
    /// </summary>
    public static RdapOptions Bind(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var bound = section.Get<RdapOptions>() ?? new RdapOptions();
        var defaults = new RdapOptions();
        string[] List(string key, string[] fallback)
        {
            var values = section.GetSection(key).GetChildren().Select(c => c.Value ?? "").ToArray();
            return values.Length == 0 ? fallback : values is ["none"] ? [] : values;
        }

        return bound with
        {
            TermsOfService = List(nameof(TermsOfService), defaults.TermsOfService),
            PrivilegedRoles = List(nameof(PrivilegedRoles), defaults.PrivilegedRoles),
            ContactFields = List(nameof(ContactFields), defaults.ContactFields),
            Disclosure = new DisclosureOptions
            {
                Anonymous = List("Disclosure:Anonymous", defaults.Disclosure.Anonymous),
                Authenticated = List("Disclosure:Authenticated", defaults.Disclosure.Authenticated),
                Privileged = List("Disclosure:Privileged", defaults.Disclosure.Privileged),
            },
        };
    }

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Realm) || Realm.Contains('"', StringComparison.Ordinal) || Realm.Contains('\\', StringComparison.Ordinal))
        {
            yield return "RepSec:Rdap:Realm must be non-empty without quotes or backslashes";
        }

        if (BaseUrl is not null && (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return "RepSec:Rdap:BaseUrl must be an absolute https URL";
        }

        if (Http1 is not ("own" or "kestrel"))
        {
            yield return "RepSec:Rdap:Http1 must be own or kestrel";
        }

        if (HstsMaxAgeSeconds < 0)
        {
            yield return "RepSec:Rdap:HstsMaxAgeSeconds must be 0 (none) or more";
        }

        foreach (var role in PrivilegedRoles)
        {
            if (!Roles.TryParse(role, out _))
            {
                yield return $"RepSec:Rdap:PrivilegedRoles: unknown role '{role}'";
            }
        }

        foreach (var field in ContactFields)
        {
            if (!Core.Security.ContactFields.All.Contains(field))
            {
                yield return $"RepSec:Rdap:ContactFields: unknown field '{field}' (known: {string.Join(", ", Core.Security.ContactFields.All)})";
            }
        }

        foreach (var error in Disclosure.Validate())
        {
            yield return error;
        }

        if (PageSize is < 1 or > 1_000 || MaxSearchResults < PageSize || MaxSearchResults > 100_000)
        {
            yield return "RepSec:Rdap:PageSize must be 1-1000 and MaxSearchResults PageSize-100000";
        }

        if (SignResponses is not ("requested" or "always" or "never"))
        {
            yield return "RepSec:Rdap:SignResponses must be requested, always or never";
        }

        if (DigestNonceSeconds is < 10 or > 86_400)
        {
            yield return "RepSec:Rdap:DigestNonceSeconds must be 10-86400";
        }

        foreach (var error in RateLimits.Validate())
        {
            yield return error;
        }
    }
}

/// <summary>
/// What each tier sees beyond the registry data everyone sees (RFC 7481 section 3.3). Field names:
/// <c>registrant.handle</c>, <c>registrant.&lt;contact field&gt;</c> (fn, org, email, tel, street, locality, region,
/// postal_code, country) and <c>attributes</c>; <c>*</c> means all. An object's owner always sees all of it.
/// </summary>
public sealed record DisclosureOptions
{
    public string[] Anonymous { get; init; } = [];

    public string[] Authenticated { get; init; } = ["registrant.handle", "registrant.org", "registrant.country", "attributes"];

    public string[] Privileged { get; init; } = ["*"];

    public IEnumerable<string> Validate()
    {
        foreach (var field in Anonymous.Concat(Authenticated).Concat(Privileged))
        {
            if (!DisclosurePolicy.IsKnownField(field))
            {
                yield return $"RepSec:Rdap:Disclosure: unknown field '{field}'";
            }
        }
    }
}

/// <summary>RFC 7481 section 3.4: anonymous clients are limited per address, authenticated ones per principal, more generously.</summary>
public sealed record RdapRateLimitOptions
{
    public int AnonymousPerSecond { get; init; } = 50;

    public int AnonymousBurst { get; init; } = 100;

    public int AuthenticatedPerSecond { get; init; } = 500;

    public int AuthenticatedBurst { get; init; } = 1_000;

    public IEnumerable<string> Validate()
    {
        if (AnonymousPerSecond < 0 || AnonymousBurst < 1 || AuthenticatedPerSecond < 0 || AuthenticatedBurst < 1)
        {
            yield return "RepSec:Rdap:RateLimits values must be positive (a rate of 0 turns that limit off)";
        }
    }
}
