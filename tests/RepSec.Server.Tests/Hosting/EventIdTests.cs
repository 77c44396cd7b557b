using System.Reflection;
using Microsoft.Extensions.Logging;
using RepSec.Testing;

namespace RepSec.Server.Tests.Hosting;

/// <summary>Log event ids are part of the operator interface (docs/operations.md): one id per message, each documented.</summary>
public sealed class EventIdTests
{
    private static readonly Assembly[] Assemblies = [typeof(Program).Assembly, typeof(Core.RepSecMetrics).Assembly];

    private static List<(int Id, string Method)> Messages() =>
        [.. Assemblies.SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => (x.Attribute!.EventId, $"{x.Method.DeclaringType!.Name}.{x.Method.Name}"))];

    [Fact]
    public void Every_log_message_has_an_id_of_its_own()
    {
        var messages = Messages();

        Assert.True(messages.Count >= 25, $"found only {messages.Count} log messages");
        Assert.All(messages, m => Assert.True(m.Id > 0, $"{m.Method} has no event id"));
        var shared = messages.GroupBy(m => m.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}").ToList();
        Assert.True(shared.Count == 0, string.Join("; ", shared));
    }

    [Fact]
    public void Every_event_id_is_in_the_operations_guide()
    {
        var guide = File.ReadAllText(Repository.File("docs", "operations.md"));

        Assert.All(Messages(), m => Assert.Contains($"| {m.Id} |", guide, StringComparison.Ordinal));
    }
}
