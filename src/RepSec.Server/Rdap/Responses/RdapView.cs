using RepSec.Core.Security;

namespace RepSec.Server.Rdap.Responses;

/// <summary>Who is reading, through which base URL, at what time: everything a response depends on besides the data.</summary>
internal sealed record RdapView(string BaseUrl, Principal Reader, DisclosurePolicy Policy, RdapOptions Options, DateTimeOffset Now)
{
    public string Url(string path) => BaseUrl + path;

    public bool Discloses(string? owner, string field) => Policy.Discloses(Reader, owner, field);
}
