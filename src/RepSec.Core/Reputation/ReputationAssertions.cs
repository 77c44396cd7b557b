using System.Collections.Frozen;

namespace RepSec.Core.Reputation;

/// <summary>
/// The assertions reports may make: the built-in set plus the operator's (<c>RepSec:Reputation:Assertions</c>).
/// A negative assertion's rating 1 means the entity certainly does the bad thing; a positive one's means it is
/// certainly good. Only configured names are accepted, so no client can grow an entity's aggregates without bound.
/// </summary>
public sealed class ReputationAssertions
{
    public const string Spam = "spam";
    public const string Malware = "malware";
    public const string Phishing = "phishing";
    public const string Abuse = "abuse";
    public const string Compromised = "compromised";
    public const string Trustworthy = "trustworthy";

    private readonly FrozenDictionary<string, bool> _positive;

    public ReputationAssertions(ReputationOptions options)
    {
        var all = new Dictionary<string, bool>(StringComparer.Ordinal)
        {
            [Spam] = false, [Malware] = false, [Phishing] = false, [Abuse] = false, [Compromised] = false, [Trustworthy] = true,
        };
        foreach (var (name, polarity) in options.Assertions)
        {
            all[name] = polarity == "positive";
        }

        _positive = all.ToFrozenDictionary(StringComparer.Ordinal);
        Names = [.. all.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>Every accepted assertion, sorted.</summary>
    public IReadOnlyList<string> Names { get; }

    public bool IsKnown(string name) => _positive.ContainsKey(name);

    public bool IsPositive(string name) => _positive.TryGetValue(name, out var positive) && positive;

    /// <summary>A lowercase token: a letter, then letters, digits and '-', 64 characters at most.</summary>
    public static bool IsWellFormed(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetterLower(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
