namespace RepSec.Client;

/// <summary>
/// The transport failed: the connection was refused, the TLS handshake failed, or the connection closed or broke
/// while a response was pending. The inner exception holds the cause.
/// </summary>
public sealed class RepSecConnectionException : Exception
{
    /// <summary>Creates a connection failure.</summary>
    public RepSecConnectionException()
        : base("The RepSec connection failed")
    {
    }

    /// <summary>Creates a connection failure with a message.</summary>
    public RepSecConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates a connection failure wrapping its cause.</summary>
    public RepSecConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
