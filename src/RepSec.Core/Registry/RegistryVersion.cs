namespace RepSec.Core.Registry;

/// <summary>
/// Counts the registry changes this process has committed, so derived views (the RDAP answer cache) can tell
/// that what they hold may be out of date without asking the store.
/// </summary>
public sealed class RegistryVersion
{
    private long _value;

    public long Current => Volatile.Read(ref _value);

    public void Advance() => Interlocked.Increment(ref _value);
}
