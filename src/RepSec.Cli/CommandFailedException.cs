namespace RepSec.Cli;

/// <summary>
/// A command ends with a message on stderr (each line prefixed <c>repsec: </c>) and a documented exit code; thrown
/// from deep inside a command so that every failure takes the same way out.
/// </summary>
internal sealed class CommandFailedException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CommandFailedException Verification(string message) => new(ExitCodes.VerificationFailed, message);
}
