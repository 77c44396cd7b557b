namespace RepSec.Server.Rdap.Authentication;

/// <summary>Log events of federated authentication (EventIds 400-499). Tokens and claim values are never logged.</summary>
internal static partial class FederatedLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information,
        Message = "Loaded {KeyCount} signing keys for federated issuer {Name} from {Address}")]
    public static partial void KeysLoaded(ILogger logger, string name, string address, int keyCount);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning,
        Message = "Could not load signing keys for federated issuer {Name} from {Address}; {Fallback}")]
    public static partial void KeyFetchFailed(ILogger logger, Exception exception, string name, string address, string fallback);

    [LoggerMessage(EventId = 402, Level = LogLevel.Debug, Message = "Rejected a federated bearer token (issuer {Name}): {Reason}")]
    public static partial void TokenRejected(ILogger logger, string name, string reason);
}
