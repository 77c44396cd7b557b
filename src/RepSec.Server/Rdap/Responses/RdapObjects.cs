using System.Globalization;
using System.Net;
using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.Protocol.Entities;
using RepSec.Server.Rdap.Queries;

namespace RepSec.Server.Rdap.Responses;

/// <summary>
/// The RDAP object classes the registry maps to (RDAP.md): domain, ip network, autnum, and entity for user ids
/// and organizations, each with its registrant embedded and the <c>repsec_</c> registry members.
/// </summary>
internal sealed partial class RdapWriter
{
    private static readonly System.Globalization.IdnMapping Idn = new();

    /// <summary>
    /// A lookup answer: the object with rdapConformance, notices and any redactions at the top, and its reputation
    /// when the extension is on.
    /// </summary>
    public void WriteLookup(EntityRecord record, Contact? registrant, ReputationView? reputation = null)
    {
        Json.WriteStartObject();
        WriteConformance(search: false);
        WriteNotices();
        WriteObjectMembers(record, registrant, topLevel: true);
        if (reputation is not null)
        {
            WriteReputation(reputation);
        }

        WriteRedactions();
        Json.WriteEndObject();
    }

    /// <summary>One object inside a search result: no conformance or notices.</summary>
    public void WriteSearchItem(EntityRecord record, Contact? registrant, int index, string arrayName)
    {
        Json.WriteStartObject();
        WriteObjectMembers(record, registrant, topLevel: false, pathRoot: $"$.{arrayName}[{index}]");
        // RFC 9537 section 4.2: each object of a search result carries its own redactions, with absolute paths.
        WriteRedactions();
        Json.WriteEndObject();
    }

    public static string SelfPath(EntityType type, string key) => type switch
    {
        EntityType.Domain => "/rdap/domain/" + key,
        EntityType.Ip => "/rdap/ip/" + key,
        EntityType.Asn => "/rdap/autnum/" + key,
        _ => "/rdap/entity/" + Uri.EscapeDataString(EntityHandles.For(type, key)),
    };

    private void WriteObjectMembers(EntityRecord record, Contact? registrant, bool topLevel, string pathRoot = "$")
    {
        var verified = RecordDigest.Matches(record);
        switch (record.Type)
        {
            case EntityType.Domain:
                Json.WriteString("objectClassName", "domain");
                Json.WriteString("handle", record.Key);
                Json.WriteString("ldhName", record.Key);
                if (record.Key.Contains("xn--", StringComparison.Ordinal))
                {
                    Json.WriteString("unicodeName", Idn.GetUnicode(record.Key));
                }

                break;
            case EntityType.Ip:
                WriteNetwork(record.Key);
                break;
            case EntityType.Asn:
                Json.WriteString("objectClassName", "autnum");
                Json.WriteString("handle", "AS" + record.Key);
                Json.WriteNumber("startAutnum", long.Parse(record.Key, CultureInfo.InvariantCulture));
                Json.WriteNumber("endAutnum", long.Parse(record.Key, CultureInfo.InvariantCulture));
                break;
            default:
                Json.WriteString("objectClassName", "entity");
                Json.WriteString("handle", EntityHandles.For(record.Type, record.Key));
                WriteRegistryEntityCard(record);
                break;
        }

        WriteStrings("status", verified ? ["active", "validated"] : ["active"]);
        Json.WriteStartArray("entities");
        WriteRegistrant(record.Owner, registrant, $"{pathRoot}.entities[?(@.roles[0]=='registrant')]");
        Json.WriteEndArray();
        Json.WriteStartArray("events");
        WriteEvent("registration", record.RegisteredAt);
        WriteEvent("last changed", record.RegisteredAt);
        if (topLevel)
        {
            WriteEvent("last update of RDAP database", View.Now);
        }

        Json.WriteEndArray();
        WriteSelfLinks(View.Url(SelfPath(record.Type, record.Key)));
        Json.WriteBoolean("repsec_verified", verified);
        Json.WriteString("repsec_type", record.Type.ToWire());
        Json.WriteString("repsec_last_updated", FormatDate(record.RegisteredAt));
        Json.WriteNumber("repsec_log_index", record.LogIndex);
        if (record.AttributesJson is { } attributes)
        {
            if (View.Discloses(record.Owner, DisclosurePolicy.Attributes))
            {
                Json.WritePropertyName("repsec_attributes");
                Json.WriteRawValue(attributes, skipInputValidation: true);
            }
            else
            {
                Redact(new Redaction("Registry Attributes", $"{pathRoot}.repsec_attributes", Redaction.Removal));
            }
        }
    }

    private void WriteNetwork(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var start = IPAddress.Parse(slash < 0 ? key : key[..slash]);
        var bytes = start.GetAddressBytes();
        var length = slash < 0 ? bytes.Length * 8 : int.Parse(key.AsSpan(slash + 1), CultureInfo.InvariantCulture);
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(length - (i * 8), 0, 8);
            bytes[i] |= (byte)(0xFF >> keep);
        }

        Json.WriteString("objectClassName", "ip network");
        Json.WriteString("handle", key);
        Json.WriteString("startAddress", start.ToString());
        Json.WriteString("endAddress", new IPAddress(bytes).ToString());
        Json.WriteString("ipVersion", bytes.Length == 4 ? "v4" : "v6");
        Json.WriteString("name", key);
    }

    /// <summary>A user id or organization is itself the entity: its jCard is its own name, which the lookup already named.</summary>
    private void WriteRegistryEntityCard(EntityRecord record)
    {
        Json.WriteStartArray("vcardArray");
        Json.WriteStringValue("vcard");
        Json.WriteStartArray();
        WriteCardProperty("version", "4.0");
        WriteCardProperty("kind", record.Type == EntityType.Organization ? "org" : "individual");
        WriteCardProperty("fn", record.Value);
        if (record.Type == EntityType.Organization)
        {
            WriteCardProperty("org", record.Value);
        }

        Json.WriteEndArray();
        Json.WriteEndArray();
    }
}
