using System.Reflection;
using Microsoft.Extensions.Options;
using RepSec.Core.Dispatch;
using RepSec.Protocol;
using RepSec.Protocol.Writing;

namespace RepSec.Core.Commands;

/// <summary>HELLO: capability discovery (commands, extensions, limits, authentication methods), like SMTP EHLO.</summary>
public sealed class HelloCommand(IServiceProvider services, IOptions<RepSecOptions> options) : RepSecCommand
{
    public const string ProtocolVersion = "repsec/1";

    private static readonly string? SoftwareVersion =
        typeof(HelloCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    // The table lists HELLO itself, so it is looked up on first use rather than injected.
    private CommandTable? _table;

    public override string Name => "HELLO";

    public override CommandPolicy Policy => CommandPolicies.Hello;

    public override ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var table = _table ??= (CommandTable)services.GetService(typeof(CommandTable))!;
        var settings = options.Value;
        var json = context.Response.Json;
        context.Response.Begin(StatusCodes.Ok, "RepSec ready", context.Request.RawId);
        json.WriteString(ResponseNames.Protocol, ProtocolVersion);
        json.WriteStartArray(ResponseNames.Commands);
        foreach (var name in table.CoreNames)
        {
            json.WriteStringValue(name);
        }

        json.WriteEndArray();
        json.WriteStartArray(ResponseNames.Extensions);
        foreach (var extension in table.Extensions)
        {
            json.WriteStartObject();
            json.WriteString(ResponseNames.Name, extension.Name);
            json.WriteString(ResponseNames.Version, extension.Version);
            json.WriteStartArray(ResponseNames.Commands);
            foreach (var command in extension.Commands)
            {
                json.WriteStringValue(command.Name);
            }

            json.WriteEndArray();
            extension.WriteProperties(json);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject(ResponseNames.Limits);
        json.WriteNumber(ResponseNames.MaxLineBytes, settings.MaxLineBytes);
        json.WriteNumber(ResponseNames.MaxJsonDepth, settings.MaxJsonDepth);
        json.WriteNumber(ResponseNames.ReplayWindowSeconds, settings.ReplayWindowSeconds);
        json.WriteEndObject();
        json.WriteStartArray(ResponseNames.AuthMethods);
        json.WriteStringValue("token");
        json.WriteStringValue("tls-client-cert");
        json.WriteEndArray();
        if (settings.ExposeServerVersion && SoftwareVersion is not null)
        {
            json.WriteString(ResponseNames.Server, $"repsecd/{SoftwareVersion}");
        }

        return ValueTask.FromResult<ProtocolError?>(null);
    }
}
