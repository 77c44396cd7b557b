using System.Text.Json;

namespace RepSec.Client.Rdap;

/// <summary>A successful RDAP answer: the JSON body, and whether its signature verified when one was asked for.</summary>
public sealed class RdapResponse : IDisposable
{
    private readonly JsonDocument _document;

    internal RdapResponse(string raw, JsonDocument document, bool? signatureVerified)
    {
        Raw = raw;
        _document = document;
        SignatureVerified = signatureVerified;
    }

    /// <summary>The body exactly as received.</summary>
    public string Raw { get; }

    /// <summary>The parsed body (valid while this response is not disposed).</summary>
    public JsonElement Body => _document.RootElement;

    /// <summary>Null when no signature was asked for; otherwise whether the RFC 9421 signature verified.</summary>
    public bool? SignatureVerified { get; }

    /// <summary>The <c>cursor</c> of the next page of a search (RFC 8977), or null on the last page.</summary>
    public string? NextCursor
    {
        get
        {
            if (Body.TryGetProperty("paging_metadata", out var paging) && paging.TryGetProperty("links", out var links))
            {
                foreach (var link in links.EnumerateArray())
                {
                    if (link.TryGetProperty("rel", out var rel) && rel.GetString() == "next"
                        && link.TryGetProperty("href", out var href) && Uri.TryCreate(href.GetString(), UriKind.Absolute, out var uri))
                    {
                        foreach (var pair in uri.Query.TrimStart('?').Split('&'))
                        {
                            if (pair.StartsWith("cursor=", StringComparison.Ordinal))
                            {
                                return Uri.UnescapeDataString(pair["cursor=".Length..]);
                            }
                        }
                    }
                }
            }

            return null;
        }
    }

    public void Dispose() => _document.Dispose();
}
