using RepSec.Core.Dispatch;
using RepSec.Protocol;

namespace RepSec.Core.Commands;

/// <summary>
/// One protocol command. <see cref="Validate"/> runs at parse time (400s); <see cref="ExecuteAsync"/> runs after
/// authentication, replay checks and authorization, and either writes a 200 with <c>context.Response</c>
/// (without ending it) or returns an error having written nothing.
/// </summary>
public abstract class RepSecCommand
{
    /// <summary>The command word, as HELLO lists it (matched case-insensitively).</summary>
    public abstract string Name { get; }

    public abstract CommandPolicy Policy { get; }

    public virtual ProtocolError? Validate(CommandContext context) => null;

    public abstract ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, CancellationToken cancellationToken);
}

/// <summary>
/// A command with arguments: <see cref="Bind"/> reads them at parse time (400s) into <typeparamref name="TArguments"/>,
/// and <see cref="ExecuteAsync(CommandContext, TArguments, CancellationToken)"/> receives them, typed.
/// </summary>
public abstract class RepSecCommand<TArguments> : RepSecCommand
{
    public sealed override ProtocolError? Validate(CommandContext context)
    {
        var error = Bind(context, out var arguments);
        context.Arguments = error is null ? arguments : null;
        return error;
    }

    public sealed override ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
        ExecuteAsync(context, (TArguments)context.Arguments!, cancellationToken);

    /// <summary>Reads the request's arguments; an error (400) when they are missing or malformed.</summary>
    protected abstract ProtocolError? Bind(CommandContext context, out TArguments arguments);

    protected abstract ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, TArguments arguments, CancellationToken cancellationToken);
}

/// <summary>A protocol extension: a named, versioned set of commands that HELLO advertises.</summary>
public interface IRepSecExtension
{
    string Name { get; }

    string Version { get; }

    IReadOnlyList<RepSecCommand> Commands { get; }

    /// <summary>Whether the operator turned the extension on; a disabled one is neither advertised nor accepted.</summary>
    bool Enabled => true;

    /// <summary>Writes the extension's own members into its HELLO object (after name, version and commands).</summary>
    void WriteProperties(System.Text.Json.Utf8JsonWriter json)
    {
    }
}
