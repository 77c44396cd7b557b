namespace RepSec.Core.Tests;

public sealed class BackgroundPriorityTests
{
    [SkippableFact]
    public void A_lowered_thread_runs_at_nice_19_and_other_threads_keep_theirs()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "thread priorities are lowered on Linux only");
        int? lowered = null;
        var thread = new Thread(() =>
        {
            Assert.True(BackgroundPriority.LowerCurrentThread());
            lowered = Nice(File.ReadAllText("/proc/thread-self/stat"));
        });
        thread.Start();
        thread.Join();

        Assert.Equal(19, lowered);
        Assert.Equal(Nice(File.ReadAllText("/proc/self/stat")), Nice(File.ReadAllText("/proc/thread-self/stat")));
        Assert.NotEqual(19, Nice(File.ReadAllText("/proc/thread-self/stat")));
    }

    // proc(5): the 19th field is nice; fields are counted after the command name, which ends at the last ')'.
    private static int Nice(string stat) => int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
}
