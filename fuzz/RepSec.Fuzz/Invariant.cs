namespace RepSec.Fuzz;

/// <summary>A broken invariant. Thrown out of a target so that AFL records the input as a crash.</summary>
internal sealed class InvariantViolationException(string message) : Exception(message);

internal static class Invariant
{
    public static void That(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvariantViolationException(message);
        }
    }
}
