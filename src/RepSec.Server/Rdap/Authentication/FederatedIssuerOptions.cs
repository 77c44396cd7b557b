using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using RepSec.Core.Security;

namespace RepSec.Server.Rdap.Authentication;

/// <summary>
/// One OAuth 2.0 / OpenID Connect issuer whose bearer JWTs RDAP accepts (RFC 7481 section 3.2.1), bound from
/// <c>RepSec:Rdap:FederatedIssuers:N</c>. Properties are settable for the configuration binder.
/// </summary>
internal sealed partial class FederatedIssuerOptions
{
    public const string SectionPath = "RepSec:Rdap:FederatedIssuers";

    /// <summary>Short local name: in logs, and the default principal prefix (<c>Name:</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>The exact <c>iss</c> value tokens carry.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>OpenID Connect discovery document; defaults to the issuer's <c>/.well-known/openid-configuration</c>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>When set, keys come straight from this JWKS URL and discovery is not used.</summary>
    public string? JwksUri { get; set; }

    /// <summary>Accepted <c>aud</c> values; a token must name at least one.</summary>
    public string[] Audiences { get; set; } = [];

    public string PrincipalClaim { get; set; } = "sub";

    /// <summary>A string or array claim; values may also be space-separated (as in <c>scope</c>).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary><c>registrant</c>, <c>auditor</c> or <c>admin</c>; <c>none</c> rejects tokens without a known role.</summary>
    public string DefaultRole { get; set; } = "registrant";

    /// <summary>
    /// Prepended to the claim value to form the principal name. Null means <c>Name:</c>; the colon can never occur in
    /// a local principal name, so federated principals cannot collide with local ones. The empty string maps claim
    /// values straight onto local principal names: an explicit opt-in that trusts this issuer to speak for local
    /// identities (including admins).
    /// </summary>
    public string? PrincipalPrefix { get; set; }

    /// <summary>PEM file of CA certificate(s) trusted, besides the system store, for the metadata and JWKS fetches.</summary>
    public string? CaCertificate { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    public int ClockSkewSeconds { get; set; } = 60;

    /// <summary>How often keys are refetched even when every token's <c>kid</c> is known.</summary>
    public int RefreshMinutes { get; set; } = 60;

    /// <summary>Every configured issuer; none configured means federated authentication is off.</summary>
    public static IReadOnlyList<FederatedIssuerOptions> Bind(IConfiguration configuration) =>
        configuration.GetSection(SectionPath).Get<FederatedIssuerOptions[]>() ?? [];

    public string ResolveMetadataAddress() =>
        MetadataAddress ?? Issuer.TrimEnd('/') + "/.well-known/openid-configuration";

    public string ResolvePrincipalPrefix() => PrincipalPrefix ?? Name + ":";

    /// <summary>Operator-readable problems with this issuer alone; see <see cref="ValidateAll"/> for the list.</summary>
    public IEnumerable<string> Validate()
    {
        if (!NamePattern().IsMatch(Name))
        {
            yield return "Name must be 1-32 letters, digits, dots, dashes or underscores";
        }

        if (!IsAcceptableUrl(Issuer) || Issuer.Contains('?', StringComparison.Ordinal) || Issuer.Contains('#', StringComparison.Ordinal))
        {
            yield return RequireHttpsMetadata
                ? "Issuer must be an absolute https URL without query or fragment"
                : "Issuer must be an absolute http(s) URL without query or fragment";
        }

        if (MetadataAddress is not null && JwksUri is not null)
        {
            yield return "set MetadataAddress or JwksUri, not both";
        }

        if (MetadataAddress is not null && !IsAcceptableUrl(MetadataAddress))
        {
            yield return $"MetadataAddress must be an absolute {Scheme} URL";
        }

        if (JwksUri is not null && !IsAcceptableUrl(JwksUri))
        {
            yield return $"JwksUri must be an absolute {Scheme} URL";
        }

        if (Audiences.Length == 0 || Audiences.Any(string.IsNullOrWhiteSpace))
        {
            yield return "Audiences must list at least one audience, none empty";
        }

        if (string.IsNullOrWhiteSpace(PrincipalClaim) || string.IsNullOrWhiteSpace(RoleClaim))
        {
            yield return "PrincipalClaim and RoleClaim must not be empty";
        }

        if (!TryParseDefaultRole(out _))
        {
            yield return "DefaultRole must be registrant, auditor, admin or none";
        }

        if (PrincipalPrefix is { Length: > 0 } prefix &&
            (!prefix.Contains(':', StringComparison.Ordinal) || prefix.Length > 32 || prefix.Any(c => c <= ' ' || c > '~')))
        {
            // Without a colon, "corp" + "alice" could be the local principal "corpalice".
            yield return "PrincipalPrefix must be printable ASCII of at most 32 characters containing ':', or \"\" to map onto local principals";
        }

        if (ClockSkewSeconds is < 0 or > 300)
        {
            yield return "ClockSkewSeconds must be 0-300";
        }

        // IdentityModel refuses automatic refresh intervals under five minutes.
        if (RefreshMinutes is < 5 or > 1440)
        {
            yield return "RefreshMinutes must be 5-1440";
        }

        if (CaCertificate is not null && CaCertificateProblem(CaCertificate) is { } problem)
        {
            yield return $"CaCertificate {CaCertificate}: {problem}";
        }
    }

    /// <summary>Every issuer's problems, prefixed with its configuration path, plus clashes between issuers.</summary>
    public static IReadOnlyList<string> ValidateAll(IReadOnlyList<FederatedIssuerOptions> issuers)
    {
        var errors = new List<string>();
        for (var i = 0; i < issuers.Count; i++)
        {
            errors.AddRange(issuers[i].Validate().Select(error => $"{SectionPath}:{i}: {error}"));
        }

        AddDuplicates(errors, issuers.Select(issuer => issuer.Name), StringComparer.OrdinalIgnoreCase, "Name");
        AddDuplicates(errors, issuers.Select(issuer => issuer.Issuer), StringComparer.Ordinal, "Issuer");
        // Two issuers behind one prefix could each speak for the other's subjects. Only the deliberate "" may repeat.
        AddDuplicates(errors, issuers.Select(issuer => issuer.ResolvePrincipalPrefix()).Where(prefix => prefix.Length > 0),
            StringComparer.Ordinal, "PrincipalPrefix");
        return errors;
    }

    /// <summary>The role for tokens without a known role claim value; <see cref="Role.None"/> means reject them.</summary>
    public bool TryParseDefaultRole(out Role role)
    {
        if (string.Equals(DefaultRole, "none", StringComparison.OrdinalIgnoreCase))
        {
            role = Role.None;
            return true;
        }

        return Roles.TryParse(DefaultRole, out role);
    }

    /// <summary>The certificates in a PEM file, or null with the reason.</summary>
    internal static X509Certificate2Collection? LoadCaCertificates(string path, out string problem)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            problem = ex.Message;
            return null;
        }

        problem = "no PEM certificate found";
        return certificates.Count > 0 ? certificates : null;
    }

    private static string? CaCertificateProblem(string path)
    {
        var loaded = LoadCaCertificates(path, out var problem);
        foreach (var certificate in loaded ?? [])
        {
            certificate.Dispose();
        }

        return loaded is null ? problem : null;
    }

    private string Scheme => RequireHttpsMetadata ? "https" : "http(s)";

    private bool IsAcceptableUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttps || (!RequireHttpsMetadata && uri.Scheme == Uri.UriSchemeHttp));

    private static void AddDuplicates(List<string> errors, IEnumerable<string> values, StringComparer comparer, string property)
    {
        foreach (var group in values.GroupBy(value => value, comparer).Where(group => group.Count() > 1))
        {
            errors.Add($"{SectionPath}: {property} '{group.Key}' is used by more than one issuer");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,32}$")]
    private static partial Regex NamePattern();
}
