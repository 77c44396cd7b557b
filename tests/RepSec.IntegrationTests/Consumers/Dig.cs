using System.Text.RegularExpressions;

namespace RepSec.IntegrationTests.Consumers;

/// <summary>Debian's <c>dig</c> (bind9-dnsutils) against a local DNS port, its answer read from its own output.</summary>
public static partial class Dig
{
    public static async Task<DigAnswer> QueryAsync(int port, string name, string type = "A", bool tcp = false, string server = "127.0.0.1")
    {
        var arguments = new List<string> { "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "@" + server, name, type, "+tries=1", "+time=5", "+norecurse" };
        if (tcp)
        {
            arguments.Add("+tcp");
        }

        var (_, output, _) = await Tool.RunAsync("dig", arguments, "bind9-dnsutils");
        return DigAnswer.Parse(output);
    }
}

/// <summary>What dig printed: the status, the header flags, and the records of each section as (name, type, data).</summary>
public sealed partial record DigAnswer(string Status, IReadOnlyList<string> Flags, IReadOnlyList<(string Name, string Type, string Data)> Answer,
    IReadOnlyList<(string Name, string Type, string Data)> Authority, string Raw)
{
    public IEnumerable<string> Data(string type) => Answer.Where(r => r.Type == type).Select(r => r.Data);

    public static DigAnswer Parse(string output)
    {
        var status = StatusPattern().Match(output) is { Success: true } s ? s.Groups[1].Value : "NO_ANSWER";
        var flags = FlagsPattern().Match(output) is { Success: true } f ? f.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        return new DigAnswer(status, flags, Section(output, "ANSWER"), Section(output, "AUTHORITY"), output);
    }

    private static List<(string, string, string)> Section(string output, string name)
    {
        var records = new List<(string, string, string)>();
        var at = output.IndexOf($";; {name} SECTION:", StringComparison.Ordinal);
        if (at < 0)
        {
            return records;
        }

        foreach (var line in output[at..].Split('\n').Skip(1))
        {
            if (line.Trim().Length == 0)
            {
                break;
            }

            var fields = line.Split(['\t', ' '], 5, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 5)
            {
                records.Add((fields[0].TrimEnd('.'), fields[3], fields[4].Trim()));
            }
        }

        return records;
    }

    [GeneratedRegex(@"status: ([A-Z]+)")]
    private static partial Regex StatusPattern();

    [GeneratedRegex(@";; flags: ([a-z ]+);")]
    private static partial Regex FlagsPattern();
}
