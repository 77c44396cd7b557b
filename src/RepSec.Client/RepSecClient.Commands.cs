using System.Text.Json.Nodes;
using RepSec.Client.Wire;

namespace RepSec.Client;

// One method per core command. Each throws RepSecException on a non-200 answer.
public sealed partial class RepSecClient
{
    /// <summary>PING: checks the connection and reads the server's clock.</summary>
    public async Task<PingResult> PingAsync(CancellationToken cancellationToken = default) =>
        ResultReader.Ping(await ExchangeAsync(Request("PING"), cancellationToken));

    /// <summary>HELLO: discovers the server's commands, extensions, limits and authentication methods.</summary>
    /// <param name="client">An optional name for this client, such as <c>repsec/1.0</c>.</param>
    /// <param name="cancellationToken">Cancels waiting for the response.</param>
    public async Task<HelloResult> HelloAsync(string? client = null, CancellationToken cancellationToken = default)
    {
        var request = Request("HELLO");
        if (client is not null)
        {
            request["client"] = client;
        }

        return ResultReader.Hello(await ExchangeAsync(request, cancellationToken));
    }

    /// <summary>REGISTER: records an entity owned by the authenticated principal.</summary>
    /// <param name="entity">The entity, such as <c>example.com</c>; the server canonicalizes it.</param>
    /// <param name="type">The entity type: <c>domain</c>, <c>ip</c>, <c>asn</c>, <c>userid</c> or <c>organization</c>.</param>
    /// <param name="attributes">Optional attributes stored with the entity; the object is copied.</param>
    /// <param name="cancellationToken">Cancels waiting for the response.</param>
    public async Task<RegisterResult> RegisterAsync(
        string entity, string type, JsonObject? attributes = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(entity);
        ArgumentException.ThrowIfNullOrEmpty(type);
        var request = EntityRequest("REGISTER", entity, type, authenticated: true);
        if (attributes is not null)
        {
            request["attributes"] = attributes.DeepClone();
        }

        RequestWriter.AddReplayFields(request, _time);
        return ResultReader.Register(await ExchangeAsync(request, cancellationToken));
    }

    /// <summary>VERIFY: whether an entity is registered and its record authentic. Anonymous; sends no token.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="type">The entity type; may be omitted when the entity string is unambiguous.</param>
    /// <param name="cancellationToken">Cancels waiting for the response.</param>
    public async Task<VerifyResult> VerifyAsync(string entity, string? type = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(entity);
        return ResultReader.Verify(await ExchangeAsync(EntityRequest("VERIFY", entity, type, authenticated: false), cancellationToken));
    }

    /// <summary>REMOVE: deletes an entity; only its owner or an admin may.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="type">The entity type; may be omitted when the entity string is unambiguous.</param>
    /// <param name="cancellationToken">Cancels waiting for the response.</param>
    public async Task<RemoveResult> RemoveAsync(string entity, string? type = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(entity);
        var request = EntityRequest("REMOVE", entity, type, authenticated: true);
        RequestWriter.AddReplayFields(request, _time);
        return ResultReader.Remove(await ExchangeAsync(request, cancellationToken));
    }

    /// <summary>AUDIT: an entity's history, oldest first; for its owner, auditors and admins.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="type">The entity type; may be omitted when the entity string is unambiguous.</param>
    /// <param name="cancellationToken">Cancels waiting for the response.</param>
    public async Task<AuditResult> AuditAsync(string entity, string? type = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(entity);
        return ResultReader.Audit(await ExchangeAsync(EntityRequest("AUDIT", entity, type, authenticated: true), cancellationToken));
    }

    private static JsonObject Request(string command) => new() { ["command"] = command };

    private JsonObject EntityRequest(string command, string entity, string? type, bool authenticated)
    {
        var request = Request(command);
        request["entity"] = entity;
        if (type is not null)
        {
            request["type"] = type;
        }

        if (authenticated && _options.Token is { } token)
        {
            request["auth"] = token;
        }

        return request;
    }
}
