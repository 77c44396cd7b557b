using System.Text;

namespace RepSec.Protocol.Signatures;

/// <summary>The signature base of RFC 9421 §2.5, the exact bytes that are signed and verified.</summary>
internal static class SignatureBase
{
    private static readonly SfParameters RequestParameter = new([new("req", true)]);

    /// <summary>
    /// Builds the base for <paramref name="components"/> of <paramref name="message"/> followed by the
    /// <c>@signature-params</c> line, which is also returned on its own (it is the Signature-Input member value).
    /// Fails on an unsupported, repeated or absent component and on a value that cannot be signed.
    /// </summary>
    public static bool TryBuild(
        IHttpMessageComponents message,
        IReadOnlyList<ComponentId> components,
        SfParameters parameters,
        out string signatureBase,
        out string signatureParams,
        out string error)
    {
        signatureBase = signatureParams = "";
        var builder = new StringBuilder(256);
        var items = new List<SfItem>(components.Count);
        for (var i = 0; i < components.Count; i++)
        {
            var component = components[i];
            if (!component.IsValid)
            {
                error = $"{component} is not a supported component";
                return false;
            }

            for (var j = 0; j < i; j++)
            {
                if (components[j] == component)
                {
                    error = $"{component} is covered twice";
                    return false;
                }
            }

            if (!TryGetValue(message, component, out var value, out error))
            {
                return false;
            }

            builder.Append(component.ToString()).Append(": ").Append(value).Append('\n');
            items.Add(new SfItem(component.Name, component.FromRequest ? RequestParameter : SfParameters.Empty));
        }

        signatureParams = StructuredFieldSerializer.InnerList(new SfInnerList(items, parameters));
        builder.Append("\"@signature-params\": ").Append(signatureParams);
        signatureBase = builder.ToString();
        error = "";
        return true;
    }

    private static bool TryGetValue(IHttpMessageComponents message, ComponentId component, out string value, out string error)
    {
        value = "";
        var source = message;
        if (component.FromRequest)
        {
            if (message.RelatedRequest is not { } request)
            {
                error = $"{component} needs the request this message answers";
                return false;
            }

            source = request;
        }

        var found = component.Name.StartsWith('@')
            ? source.TryGetDerived(component.Name, out value)
            : source.TryGetField(component.Name, out value);
        if (!found || value is null)
        {
            value = "";
            error = $"{component} is not in the message";
            return false;
        }

        // The base is ASCII text with one component per line; anything else could forge a line or be
        // encoded differently by the two sides.
        foreach (var c in value)
        {
            if (c is not ((>= ' ' and <= '~') or '\t'))
            {
                error = $"{component} has a value with control or non-ASCII characters";
                return false;
            }
        }

        error = "";
        return true;
    }
}
