using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using RepSec.Server.Rdap.Queries;

namespace RepSec.Server.Rdap.Responses;

/// <summary>
/// Writes one RDAP response body with <see cref="Utf8JsonWriter"/>: the members every answer shares
/// (rdapConformance, notices, links, events) and error objects. Object and search bodies build on it.
/// </summary>
internal sealed partial class RdapWriter : IDisposable
{
    public const string MediaType = "application/rdap+json";
    public const string Conformance = "rdap_level_0";
    public const string RepSecConformance = "repsec";
    public const string RedactedConformance = "redacted";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Names and descriptions are data: keep non-ASCII readable, still escaping what HTML would interpret.
        Encoder = JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(2048);
    private readonly List<Redaction> _redactions = [];

    public RdapWriter(RdapView view)
    {
        View = view;
        Json = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    public RdapView View { get; }

    public Utf8JsonWriter Json { get; }

    public ReadOnlyMemory<byte> WrittenMemory
    {
        get
        {
            Json.Flush();
            return _buffer.WrittenMemory;
        }
    }

    public void Dispose() => Json.Dispose();

    public void WriteConformance(bool search)
    {
        Json.WriteStartArray("rdapConformance");
        Json.WriteStringValue(Conformance);
        Json.WriteStringValue(RedactedConformance);
        Json.WriteStringValue(RepSecConformance);
        if (search)
        {
            Json.WriteStringValue("paging");
            Json.WriteStringValue("sorting");
        }

        Json.WriteEndArray();
    }

    /// <summary>The terms of service notice, plus any extra notices (truncation, help text).</summary>
    public void WriteNotices(params ReadOnlySpan<(string Title, string? Type, string[] Description)> extra)
    {
        Json.WriteStartArray("notices");
        Json.WriteStartObject();
        Json.WriteString("title", "Terms of Service");
        WriteStrings("description", View.Options.TermsOfService);
        Json.WriteStartArray("links");
        var help = View.Url("/rdap/help");
        WriteLink(help, "terms-of-service", View.Options.TermsOfServiceUrl ?? help, View.Options.TermsOfServiceUrl is null ? MediaType : "text/html");
        Json.WriteEndArray();
        Json.WriteEndObject();
        foreach (var (title, type, description) in extra)
        {
            Json.WriteStartObject();
            Json.WriteString("title", title);
            if (type is not null)
            {
                Json.WriteString("type", type);
            }

            WriteStrings("description", description);
            Json.WriteEndObject();
        }

        Json.WriteEndArray();
    }

    public void WriteSelfLinks(string href)
    {
        Json.WriteStartArray("links");
        WriteLink(href, "self", href, MediaType);
        Json.WriteEndArray();
    }

    public void WriteLink(string value, string rel, string href, string type, string? title = null)
    {
        Json.WriteStartObject();
        Json.WriteString("value", value);
        Json.WriteString("rel", rel);
        Json.WriteString("href", href);
        Json.WriteString("type", type);
        if (title is not null)
        {
            Json.WriteString("title", title);
        }

        Json.WriteEndObject();
    }

    public void WriteEvent(string action, DateTimeOffset at)
    {
        Json.WriteStartObject();
        Json.WriteString("eventAction", action);
        Json.WriteString("eventDate", FormatDate(at));
        Json.WriteEndObject();
    }

    public void WriteStrings(string name, IEnumerable<string> values)
    {
        Json.WriteStartArray(name);
        foreach (var value in values)
        {
            Json.WriteStringValue(value);
        }

        Json.WriteEndArray();
    }

    /// <summary>Notes that a field was withheld; written as the RFC 9537 <c>redacted</c> member by <see cref="WriteRedactions"/>.</summary>
    public void Redact(Redaction redaction) => _redactions.Add(redaction);

    public void WriteRedactions()
    {
        if (_redactions.Count == 0)
        {
            return;
        }

        Json.WriteStartArray("redacted");
        foreach (var redaction in _redactions)
        {
            Json.WriteStartObject();
            Json.WriteStartObject("name");
            Json.WriteString("description", redaction.Name);
            Json.WriteEndObject();
            Json.WriteString(redaction.Method == Redaction.Removal ? "prePath" : "postPath", redaction.Path);
            Json.WriteString("pathLang", "jsonpath");
            Json.WriteString("method", redaction.Method);
            Json.WriteStartObject("reason");
            Json.WriteString("description", "Server policy");
            Json.WriteEndObject();
            Json.WriteEndObject();
        }

        Json.WriteEndArray();
        _redactions.Clear();
    }

    /// <summary>A whole error body (RFC 9083 section 6).</summary>
    public void WriteError(RdapError error)
    {
        Json.WriteStartObject();
        WriteConformance(search: false);
        Json.WriteNumber("errorCode", error.Status);
        Json.WriteString("title", error.Title);
        WriteStrings("description", [error.Description]);
        WriteNotices();
        Json.WriteEndObject();
    }

    public static string FormatDate(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>One withheld field (RFC 9537): its name, the JSONPath where it was (removal) or is (empty value), and how.</summary>
internal readonly record struct Redaction(string Name, string Path, string Method)
{
    public const string Removal = "removal";
    public const string EmptyValue = "emptyValue";
}
