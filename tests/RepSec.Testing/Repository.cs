namespace RepSec.Testing;

/// <summary>Files of the repository the tests were built from (docs, contrib), found from the test's output directory.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The path of <paramref name="parts"/> under the repository root.</summary>
    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !System.IO.File.Exists(Path.Combine(directory.FullName, "RepSec.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("RepSec.slnx not found above the test's directory");
    }
}
