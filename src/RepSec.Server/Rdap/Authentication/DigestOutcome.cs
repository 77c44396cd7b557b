namespace RepSec.Server.Rdap.Authentication;

/// <summary>The result of checking Digest credentials.</summary>
internal enum DigestOutcome
{
    /// <summary>The response is correct and its (nonce, nc) pair had not been used.</summary>
    Valid,

    /// <summary>Wrong password, unknown user, wrong realm, uri or qop, or a nonce the server did not issue.</summary>
    Invalid,

    /// <summary>
    /// The response is correct but its nonce has expired (or was dropped from the replay record): the caller
    /// answers 401 with <c>stale=true</c> so the client retries with a fresh nonce without asking the user again.
    /// </summary>
    Stale,

    /// <summary>The response is correct but this nonce count was already used with this nonce.</summary>
    Replayed,
}
