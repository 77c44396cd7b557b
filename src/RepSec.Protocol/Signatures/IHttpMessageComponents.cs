namespace RepSec.Protocol.Signatures;

/// <summary>
/// The view of an HTTP message that signing and verification need, so that this library depends on neither
/// ASP.NET Core nor <c>HttpClient</c>: adapters over those (or <see cref="HttpRequestComponents"/> and
/// <see cref="HttpResponseComponents"/>) supply the values.
/// </summary>
public interface IHttpMessageComponents
{
    /// <summary>The request a response answers, for components with the <c>req</c> parameter; null for requests.</summary>
    IHttpMessageComponents? RelatedRequest => null;

    /// <summary>The value of a derived component (<c>@method</c>, <c>@status</c>, ...) per RFC 9421 §2.2; false if it does not apply.</summary>
    bool TryGetDerived(string name, out string value);

    /// <summary>
    /// The value of the field <paramref name="lowercaseName"/> per RFC 9421 §2.1: each field line's value trimmed,
    /// obsolete line folding replaced by a space, and multiple lines joined with <c>", "</c>; false if absent.
    /// </summary>
    bool TryGetField(string lowercaseName, out string value);
}
