using System.Runtime.InteropServices;

namespace RepSec.Core;

/// <summary>
/// Work that may wait for spare CPU (sorting and checking what was loaded at start): on Linux the calling thread's
/// nice value is raised to 19, so the scheduler gives requests the cores first and this work what they leave.
/// Elsewhere, and where the kernel refuses, nothing changes.
/// </summary>
public static class BackgroundPriority
{
    private const int PrioProcess = 0;
    private const int Lowest = 19;

    /// <summary>Lowers the calling thread's priority; true when it was lowered.</summary>
    public static bool LowerCurrentThread() => OperatingSystem.IsLinux() && SetPriority(PrioProcess, GetThreadId(), Lowest) == 0;

    // On Linux, PRIO_PROCESS with a thread id applies to that thread alone. Blittable signatures: no marshalling.
    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();
}
