using System.Text.Json;

namespace RepSec.Protocol.Writing;

/// <summary>Response member names, encoded once.</summary>
public static class ResponseNames
{
    public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    public static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    public static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
    public static readonly JsonEncodedText RetryAfter = JsonEncodedText.Encode("retry_after");
    public static readonly JsonEncodedText ServerTime = JsonEncodedText.Encode("server_time");
    public static readonly JsonEncodedText Entity = JsonEncodedText.Encode("entity");
    public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    public static readonly JsonEncodedText Verified = JsonEncodedText.Encode("verified");
    public static readonly JsonEncodedText LastUpdated = JsonEncodedText.Encode("last_updated");
    public static readonly JsonEncodedText RegisteredAt = JsonEncodedText.Encode("registered_at");
    public static readonly JsonEncodedText RemovedAt = JsonEncodedText.Encode("removed_at");
    public static readonly JsonEncodedText LogIndex = JsonEncodedText.Encode("log_index");
    public static readonly JsonEncodedText Entries = JsonEncodedText.Encode("entries");
    public static readonly JsonEncodedText Action = JsonEncodedText.Encode("action");
    public static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
    public static readonly JsonEncodedText Actor = JsonEncodedText.Encode("actor");
    public static readonly JsonEncodedText Protocol = JsonEncodedText.Encode("protocol");
    public static readonly JsonEncodedText Commands = JsonEncodedText.Encode("commands");
    public static readonly JsonEncodedText Extensions = JsonEncodedText.Encode("extensions");
    public static readonly JsonEncodedText Limits = JsonEncodedText.Encode("limits");
    public static readonly JsonEncodedText AuthMethods = JsonEncodedText.Encode("auth_methods");
    public static readonly JsonEncodedText Server = JsonEncodedText.Encode("server");
}
