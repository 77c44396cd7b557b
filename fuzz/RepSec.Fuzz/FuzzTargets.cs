namespace RepSec.Fuzz;

/// <summary>One fuzz target: returns for every input, and throws only when an invariant is broken.</summary>
internal delegate void FuzzTarget(ReadOnlySpan<byte> data);

/// <summary>The targets by the name the command line and the corpus folders use.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyDictionary<string, FuzzTarget> All { get; } = new Dictionary<string, FuzzTarget>(StringComparer.Ordinal)
    {
        ["frame"] = FrameTarget.Run,
        ["request"] = RequestTarget.Run,
        ["structured-field"] = StructuredFieldTarget.Run,
        ["http1"] = Http1Target.Run,
        ["digest"] = DigestTarget.Run,
        ["dnsbl"] = DnsblTarget.Run,
        ["http2"] = Http2Target.Run,
    };
}
