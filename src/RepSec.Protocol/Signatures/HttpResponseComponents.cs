using System.Globalization;

namespace RepSec.Protocol.Signatures;

/// <summary>
/// A response's components: its status, its header fields (repeated names allowed, in order) and, for
/// components marked <c>req</c>, the request it answers.
/// </summary>
public sealed class HttpResponseComponents : IHttpMessageComponents
{
    private readonly FieldMap _fields;
    private readonly string _status;

    /// <summary>Describes a response to <paramref name="request"/> (if known).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The status is not a three-digit code.</exception>
    public HttpResponseComponents(int status, IEnumerable<KeyValuePair<string, string>> headers, HttpRequestComponents? request = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 999);
        _status = status.ToString(CultureInfo.InvariantCulture);
        _fields = new FieldMap(headers);
        RelatedRequest = request;
    }

    /// <inheritdoc />
    public IHttpMessageComponents? RelatedRequest { get; }

    /// <inheritdoc />
    public bool TryGetDerived(string name, out string value)
    {
        value = name == "@status" ? _status : null!;
        return value is not null;
    }

    /// <inheritdoc />
    public bool TryGetField(string lowercaseName, out string value) => _fields.TryGet(lowercaseName, out value);
}
