using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RepSec.Cli.Commands;

/// <summary><c>repsec register ENTITY --type TYPE</c>, with attributes from --attributes and --attr.</summary>
internal static class RegisterCommand
{
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    public static Command Create(Func<ParseResult, CliContext> contextFor)
    {
        var entity = EntityArguments.Entity("The entity to register, such as example.com");
        var type = EntityArguments.Type(required: true);
        var attr = new Option<string[]>("--attr")
        {
            Description = "An attribute as key=value, stored as a string; repeat for more (overrides --attributes)",
            HelpName = "key=value",
            Arity = ArgumentArity.ZeroOrMore,
        };
        attr.Validators.Add(ValidatePairs);
        var attributes = new Option<string>("--attributes")
        {
            Description = "Attributes as a JSON object, such as '{\"contact\":\"abuse@example.com\"}'",
            HelpName = "json",
        };
        attributes.Validators.Add(ValidateObject);
        var command = new Command("register", "Register an entity, owned by you from then on (needs a token)")
        {
            entity,
            type,
            attr,
            attributes,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var context = contextFor(parseResult);
            var values = BuildAttributes(parseResult.GetValue(attributes), parseResult.GetValue(attr));
            return context.RunAsync(async (client, ct) =>
            {
                var result = await client.RegisterAsync(parseResult.GetValue(entity)!, parseResult.GetValue(type)!, values, ct);
                await context.Output.RegisterAsync(result);
                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }

    private static JsonObject? BuildAttributes(string? json, string[]? pairs)
    {
        var values = json is null ? null : (JsonObject)JsonNode.Parse(json, documentOptions: StrictJson)!;
        foreach (var pair in pairs ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            values ??= [];
            values[pair[..equals]] = pair[(equals + 1)..];
        }

        return values;
    }

    private static void ValidatePairs(OptionResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (token.Value.IndexOf('=', StringComparison.Ordinal) <= 0)
            {
                result.AddError($"--attr expects key=value, not '{token.Value}'");
            }
        }
    }

    private static void ValidateObject(OptionResult result)
    {
        foreach (var token in result.Tokens)
        {
            try
            {
                if (JsonNode.Parse(token.Value, documentOptions: StrictJson) is not JsonObject)
                {
                    result.AddError("--attributes must be a JSON object");
                }
            }
            catch (JsonException exception)
            {
                result.AddError($"--attributes is not valid JSON: {exception.Message}");
            }
        }
    }
}
