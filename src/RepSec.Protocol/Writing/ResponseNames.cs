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
    public static readonly JsonEncodedText TreeSize = JsonEncodedText.Encode("tree_size");
    public static readonly JsonEncodedText Checkpoint = JsonEncodedText.Encode("checkpoint");
    public static readonly JsonEncodedText Origin = JsonEncodedText.Encode("origin");
    public static readonly JsonEncodedText Root = JsonEncodedText.Encode("root");
    public static readonly JsonEncodedText LogKey = JsonEncodedText.Encode("log_key");
    public static readonly JsonEncodedText Leaf = JsonEncodedText.Encode("leaf");
    public static readonly JsonEncodedText LeafHash = JsonEncodedText.Encode("leaf_hash");
    public static readonly JsonEncodedText Opening = JsonEncodedText.Encode("opening");
    public static readonly JsonEncodedText Inclusion = JsonEncodedText.Encode("inclusion");
    public static readonly JsonEncodedText Consistency = JsonEncodedText.Encode("consistency");
    public static readonly JsonEncodedText Subject = JsonEncodedText.Encode("subject");
    public static readonly JsonEncodedText Record = JsonEncodedText.Encode("record");
    public static readonly JsonEncodedText Index = JsonEncodedText.Encode("index");
    public static readonly JsonEncodedText From = JsonEncodedText.Encode("from");
    public static readonly JsonEncodedText To = JsonEncodedText.Encode("to");
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
    public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    public static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
    public static readonly JsonEncodedText MaxLineBytes = JsonEncodedText.Encode("max_line_bytes");
    public static readonly JsonEncodedText MaxJsonDepth = JsonEncodedText.Encode("max_json_depth");
    public static readonly JsonEncodedText ReplayWindowSeconds = JsonEncodedText.Encode("replay_window_seconds");
}
