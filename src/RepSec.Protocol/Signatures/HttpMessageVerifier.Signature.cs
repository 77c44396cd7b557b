using System.Text;

namespace RepSec.Protocol.Signatures;

public static partial class HttpMessageVerifier
{
    /// <summary>
    /// One signature, checked cheapest first (shape, then policy, then key, then the base, then the
    /// cryptography) so that a signature the policy would refuse costs no public-key operation.
    /// </summary>
    private static SignatureVerification VerifyOne(
        IHttpMessageComponents message,
        string label,
        object input,
        object signatureMember,
        Func<string, HttpSignatureKey?> keys,
        VerificationPolicy policy,
        DateTimeOffset now)
    {
        if (input is not SfInnerList list)
        {
            return Failed(SignatureFailure.MalformedHeader, label, "the Signature-Input member is not an inner list");
        }

        if (signatureMember is not SfItem { Value.Value: byte[] signature })
        {
            return Failed(SignatureFailure.MalformedHeader, label, "the Signature member is not a byte sequence");
        }

        if (!TryReadComponents(list, out var components, out var failure, out var error))
        {
            return Failed(failure, label, error);
        }

        if (!SignatureParameters.TryFromStructuredField(list.Parameters, out var parameters, out error))
        {
            return Failed(SignatureFailure.MalformedHeader, label, error);
        }

        if (CheckPolicy(components, parameters, policy, now) is { } refusal)
        {
            return Failed(refusal.Failure, label, refusal.Detail);
        }

        if (parameters.KeyId is null || keys(parameters.KeyId) is not { } key)
        {
            return Failed(SignatureFailure.UnknownKey, label, parameters.KeyId is null ? "the signature has no keyid" : $"no key is known for keyid '{parameters.KeyId}'");
        }

        if (parameters.Algorithm is { } alg && alg != key.Algorithm)
        {
            return Failed(SignatureFailure.AlgorithmMismatch, label, $"the signature says alg '{alg}' but key '{key.KeyId}' is {key.Algorithm}");
        }

        if (!SignatureBase.TryBuild(message, components, list.Parameters, out var signatureBase, out _, out error))
        {
            return Failed(SignatureFailure.ComponentUnavailable, label, error);
        }

        if (!key.Verify(Encoding.ASCII.GetBytes(signatureBase), signature))
        {
            return Failed(SignatureFailure.BadSignature, label, $"the signature does not verify under key '{key.KeyId}'");
        }

        return new SignatureVerification
        {
            Failure = SignatureFailure.None,
            Label = label,
            Parameters = parameters,
            CoveredComponents = components,
        };
    }

    /// <summary>
    /// Covered components are strings (else the field is malformed); the only component parameter understood is
    /// <c>req</c>, and one with any other (<c>sf</c>, <c>bs</c>, <c>key</c>, <c>name</c>, <c>tr</c>) is unavailable.
    /// </summary>
    private static bool TryReadComponents(SfInnerList list, out List<ComponentId> components, out SignatureFailure failure, out string error)
    {
        components = new List<ComponentId>(list.Items.Count);
        failure = SignatureFailure.MalformedHeader;
        foreach (var item in list.Items)
        {
            if (item.Value.Value is not string name)
            {
                error = "a covered component is not a string";
                return false;
            }

            var fromRequest = false;
            foreach (var (key, value) in item.Parameters.Entries)
            {
                if (key != "req" || value.Value is not true)
                {
                    failure = SignatureFailure.ComponentUnavailable;
                    error = $"the component parameter '{key}' on \"{name}\" is not supported";
                    return false;
                }

                fromRequest = true;
            }

            components.Add(new ComponentId(name, fromRequest));
        }

        error = "";
        return true;
    }

    private static (SignatureFailure Failure, string Detail)? CheckPolicy(
        List<ComponentId> components, SignatureParameters parameters, VerificationPolicy policy, DateTimeOffset now)
    {
        foreach (var required in policy.RequiredComponents)
        {
            if (!components.Contains(required))
            {
                return (SignatureFailure.MissingRequiredComponent, $"the signature does not cover {required}");
            }
        }

        if (policy.RequiredTag is { } tag && parameters.Tag != tag)
        {
            return (SignatureFailure.WrongTag, $"the signature's tag is '{parameters.Tag}', not '{tag}'");
        }

        if (policy.MaxAge is { } maxAge)
        {
            if (parameters.Created is not { } created)
            {
                return (SignatureFailure.TooOld, "the signature has no created time, so its age is unknown");
            }

            if (now - created > maxAge)
            {
                return (SignatureFailure.TooOld, $"the signature was created {(now - created).TotalSeconds:F0} s ago; at most {maxAge.TotalSeconds:F0} s is allowed");
            }
        }

        if (parameters.Created is { } createdAt && createdAt - now > policy.ClockSkew)
        {
            return (SignatureFailure.CreatedInFuture, $"the signature was created {(createdAt - now).TotalSeconds:F0} s in the future");
        }

        if (policy.EnforceExpires && parameters.Expires is { } expires && now - expires > policy.ClockSkew)
        {
            return (SignatureFailure.Expired, $"the signature expired {(now - expires).TotalSeconds:F0} s ago");
        }

        return null;
    }
}
