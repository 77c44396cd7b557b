namespace RepSec.Protocol.Signatures;

public sealed partial record SignatureParameters
{
    private static readonly long MinUnixSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>
    /// The parameters in the order this library writes them: created, expires, keyid, alg, nonce, tag.
    /// The order is part of what is signed, and this one reproduces the RFC 9421 Appendix B examples.
    /// </summary>
    internal SfParameters ToStructuredField()
    {
        var entries = new List<KeyValuePair<string, SfBareItem>>(6);
        if (Created is { } created)
        {
            entries.Add(new("created", created.ToUnixTimeSeconds()));
        }

        if (Expires is { } expires)
        {
            entries.Add(new("expires", expires.ToUnixTimeSeconds()));
        }

        AddString(entries, "keyid", KeyId);
        AddString(entries, "alg", Algorithm);
        AddString(entries, "nonce", Nonce);
        AddString(entries, "tag", Tag);
        return new SfParameters(entries);
    }

    /// <summary>
    /// Reads the parameters of a received signature. Unknown parameters are allowed (they stay in the
    /// serialized <c>@signature-params</c>), but a known one with the wrong type is an error.
    /// </summary>
    internal static bool TryFromStructuredField(SfParameters parameters, out SignatureParameters result, out string error)
    {
        result = new SignatureParameters();
        foreach (var (key, item) in parameters.Entries)
        {
            switch (key)
            {
                case "created" or "expires":
                    if (item.Value is not long seconds || seconds < MinUnixSeconds || seconds > MaxUnixSeconds)
                    {
                        error = $"the {key} parameter is not a Unix time in seconds";
                        return false;
                    }

                    var time = DateTimeOffset.FromUnixTimeSeconds(seconds);
                    result = key == "created" ? result with { Created = time } : result with { Expires = time };
                    break;
                case "keyid" or "alg" or "nonce" or "tag":
                    if (item.Value is not string text)
                    {
                        error = $"the {key} parameter is not a string";
                        return false;
                    }

                    result = key switch
                    {
                        "keyid" => result with { KeyId = text },
                        "alg" => result with { Algorithm = text },
                        "nonce" => result with { Nonce = text },
                        _ => result with { Tag = text },
                    };
                    break;
                default:
                    break;
            }
        }

        error = "";
        return true;
    }

    private static void AddString(List<KeyValuePair<string, SfBareItem>> entries, string key, string? value)
    {
        if (value is not null)
        {
            entries.Add(new(key, value));
        }
    }
}
