using RepSec.Core.Security;
using RepSec.Server.Rdap.Queries;

namespace RepSec.Server.Rdap.Responses;

/// <summary>
/// The registrant: the owning principal as an entity whose jCard holds what the reader may see of its contact
/// data. Each withheld field present in the data is recorded as an RFC 9537 redaction (RFC 7481 section 4):
/// name and address parts keep their place with an empty value, the rest are removed.
/// </summary>
internal sealed partial class RdapWriter
{
    private static readonly (string Field, string Name)[] AddressParts =
    [
        (ContactFields.Street, "Registrant Street"),
        (ContactFields.Locality, "Registrant City"),
        (ContactFields.Region, "Registrant State/Province"),
        (ContactFields.PostalCode, "Registrant Postal Code"),
        (ContactFields.Country, "Registrant Country"),
    ];

    /// <summary>The registrant embedded in an object; <paramref name="path"/> is its JSONPath for redactions.</summary>
    public void WriteRegistrant(string principal, Contact? contact, string path)
    {
        Json.WriteStartObject();
        Json.WriteString("objectClassName", "entity");
        var withheld = WritePrincipalMembers(principal, contact, path);
        Json.WriteStartArray("roles");
        Json.WriteStringValue("registrant");
        Json.WriteEndArray();
        if (withheld)
        {
            WriteStrings("status", ["private", "removed"]);
        }

        Json.WriteEndObject();
    }

    /// <summary>A principal looked up by its own handle: the same card, at the top level.</summary>
    public void WritePrincipalLookup(string principal, Contact? contact)
    {
        Json.WriteStartObject();
        WriteConformance(search: false);
        WriteNotices();
        Json.WriteString("objectClassName", "entity");
        var withheld = WritePrincipalMembers(principal, contact, "$");
        Json.WriteStartArray("roles");
        Json.WriteStringValue("registrant");
        Json.WriteEndArray();
        WriteStrings("status", withheld ? ["active", "private", "removed"] : ["active"]);
        if (contact is not null)
        {
            Json.WriteStartArray("events");
            WriteEvent("last changed", contact.UpdatedAt);
            WriteEvent("last update of RDAP database", View.Now);
            Json.WriteEndArray();
        }

        WriteRedactions();
        Json.WriteEndObject();
    }

    /// <summary>Writes handle, links and vcardArray as disclosed; returns whether anything present was withheld.</summary>
    private bool WritePrincipalMembers(string principal, Contact? contact, string path)
    {
        var before = _redactions.Count;
        if (View.Discloses(principal, DisclosurePolicy.RegistrantHandle))
        {
            var handle = EntityHandles.ForPrincipal(principal);
            Json.WriteString("handle", handle);
            WriteSelfLinks(View.Url("/rdap/entity/" + Uri.EscapeDataString(handle)));
        }
        else
        {
            // The self link would name the handle, so it goes too, and says so.
            Redact(new Redaction("Registry Registrant ID", $"{path}.handle", Redaction.Removal));
            Redact(new Redaction("Registrant Link", $"{path}.links", Redaction.Removal));
        }

        if (contact is not null && contact.Fields.Count > 0)
        {
            WriteContactCard(principal, contact, path + ".vcardArray[1]");
        }

        return _redactions.Count > before;
    }

    private void WriteContactCard(string principal, Contact contact, string card)
    {
        bool Shown(string field) => contact[field] is not null && View.Discloses(principal, DisclosurePolicy.RegistrantPrefix + field);
        void Withhold(string field, string name, string path, string method)
        {
            // Only collected fields exist to be withheld; a field the registry does not collect is not data at all.
            if (contact[field] is not null && View.Policy.CollectedContactFields.Contains(field))
            {
                Redact(new Redaction(name, path, method));
            }
        }

        Json.WriteStartArray("vcardArray");
        Json.WriteStringValue("vcard");
        Json.WriteStartArray();
        WriteCardProperty("version", "4.0");
        // fn is required in a jCard (RFC 9083 section 3): a withheld name stays as an empty value.
        if (Shown(ContactFields.Name))
        {
            WriteCardProperty("fn", contact[ContactFields.Name]!);
        }
        else
        {
            WriteCardProperty("fn", "");
            Withhold(ContactFields.Name, "Registrant Name", $"{card}[?(@[0]=='fn')][3]", Redaction.EmptyValue);
        }
        if (Shown(ContactFields.Organization))
        {
            WriteCardProperty("org", contact[ContactFields.Organization]!);
        }
        else
        {
            Withhold(ContactFields.Organization, "Registrant Organization", $"{card}[?(@[0]=='org')]", Redaction.Removal);
        }

        if (AddressParts.Any(p => contact[p.Field] is not null && View.Policy.CollectedContactFields.Contains(p.Field)))
        {
            Json.WriteStartArray();
            Json.WriteStringValue("adr");
            Json.WriteStartObject();
            Json.WriteEndObject();
            Json.WriteStringValue("text");
            Json.WriteStartArray();
            Json.WriteStringValue("");
            Json.WriteStringValue("");
            for (var i = 0; i < AddressParts.Length; i++)
            {
                var (field, name) = AddressParts[i];
                Json.WriteStringValue(Shown(field) ? contact[field] : "");
                if (!Shown(field))
                {
                    Withhold(field, name, $"{card}[?(@[0]=='adr')][3][{i + 2}]", Redaction.EmptyValue);
                }
            }

            Json.WriteEndArray();
            Json.WriteEndArray();
        }

        if (Shown(ContactFields.Phone))
        {
            Json.WriteStartArray();
            Json.WriteStringValue("tel");
            Json.WriteStartObject();
            Json.WriteString("type", "voice");
            Json.WriteEndObject();
            Json.WriteStringValue("text");
            Json.WriteStringValue(contact[ContactFields.Phone]);
            Json.WriteEndArray();
        }
        else
        {
            Withhold(ContactFields.Phone, "Registrant Phone", $"{card}[?(@[1].type=='voice')]", Redaction.Removal);
        }

        if (Shown(ContactFields.Email))
        {
            WriteCardProperty("email", contact[ContactFields.Email]!);
        }
        else
        {
            Withhold(ContactFields.Email, "Registrant Email", $"{card}[?(@[0]=='email')]", Redaction.Removal);
        }

        Json.WriteEndArray();
        Json.WriteEndArray();
    }

    private void WriteCardProperty(string name, string value)
    {
        Json.WriteStartArray();
        Json.WriteStringValue(name);
        Json.WriteStartObject();
        Json.WriteEndObject();
        Json.WriteStringValue("text");
        Json.WriteStringValue(value);
        Json.WriteEndArray();
    }
}
