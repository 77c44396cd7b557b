using RepSec.Cli.Transparency;

namespace RepSec.Cli.Tests.Transparency;

/// <summary>The file repsec keeps per server: where it lives, what it holds, and how it is replaced.</summary>
public sealed class LogStateFileTests : IDisposable
{
    private const string Note = "repsec/0123456789abcdef\n10\nq83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=\n\n\u2014 repsec/0123456789abcdef AAAAAAAA\n";

    private static readonly LogState State = new("localhost:4655", "repsec/0123456789abcdef", "repsec/0123456789abcdef+01234567+AQID", Note);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("repsec-state-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string PathOf(params string[] parts) => Path.Combine([_directory.FullName, .. parts]);

    [Fact]
    public void A_saved_state_reads_back_as_it_was()
    {
        var path = PathOf("a", "b", "localhost_4655.json");

        LogStateFile.Save(path, State);
        LogStateFile.Save(PathOf("empty.json"), State with { Checkpoint = null });

        Assert.Equal(State, LogStateFile.Load(path));
        Assert.Null(LogStateFile.Load(PathOf("empty.json"))!.Checkpoint);
        Assert.Contains("\"log_key\": \"repsec/0123456789abcdef+01234567+AQID\"", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void No_file_is_no_state_and_a_foreign_file_is_an_error()
    {
        File.WriteAllText(PathOf("v2.json"), """{"version":2,"server":"x","origin":"o","log_key":"k"}""");
        File.WriteAllText(PathOf("keyless.json"), """{"version":1,"server":"x","origin":"o"}""");
        File.WriteAllText(PathOf("text.json"), "not json");

        Assert.Null(LogStateFile.Load(PathOf("missing.json")));
        Assert.Null(LogStateFile.Load(PathOf("missing", "missing.json")));
        Assert.Throws<InvalidDataException>(() => LogStateFile.Load(PathOf("v2.json")));
        Assert.Throws<InvalidDataException>(() => LogStateFile.Load(PathOf("keyless.json")));
        Assert.Throws<InvalidDataException>(() => LogStateFile.Load(PathOf("text.json")));
    }

    [Fact]
    public void The_file_and_its_new_directories_are_private_to_the_owner()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = PathOf("new", "state.json");
        var existing = PathOf("existing.json");
        File.WriteAllText(existing, "{}");
        File.SetUnixFileMode(existing, (UnixFileMode)0b110_100_100);

        LogStateFile.Save(path, State);
        LogStateFile.Save(existing, State);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(existing));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(PathOf("new")));
    }

    [Fact]
    public void Saving_replaces_the_file_whole_and_leaves_no_temporary_file()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // an open file cannot be replaced there
        }

        var path = PathOf("state.json");
        LogStateFile.Save(path, State);
        var before = File.ReadAllText(path);
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        LogStateFile.Save(path, State with { Checkpoint = null });

        // A reader of the old file still sees all of it: the new state is a new file renamed into place, not a rewrite.
        Assert.Equal(before, new StreamReader(reader).ReadToEnd());
        Assert.Null(LogStateFile.Load(path)!.Checkpoint);
        Assert.Equal(["state.json"], _directory.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public void A_failed_save_keeps_nothing_half_written()
    {
        var path = PathOf("taken");
        Directory.CreateDirectory(path);

        Assert.ThrowsAny<Exception>(() => LogStateFile.Save(path, State));

        Assert.Empty(_directory.GetFiles());
    }

    [Theory]
    [InlineData("localhost", 4655, "localhost_4655.json")]
    [InlineData("RepSec.Example.ORG", 4655, "repsec.example.org_4655.json")]
    [InlineData("::1", 1234, "__1_1234.json")]
    [InlineData("../../etc/passwd", 1, ".._.._etc_passwd_1.json")]
    public void One_file_per_server_with_a_safe_name(string host, int port, string expected)
    {
        Assert.Equal(expected, LogStateFile.FileName(host, port));
        Assert.Equal(expected, Path.GetFileName(LogStateFile.DefaultPath(host, port, "/state", "/home/u")));
    }

    [Fact]
    public void The_default_place_follows_xdg_state_home()
    {
        Assert.Equal(Path.Combine("/xdg", "repsec", "h_1.json"), LogStateFile.DefaultPath("h", 1, "/xdg", "/home/u"));
        Assert.Equal(Path.Combine("/home/u", ".local", "state", "repsec", "h_1.json"), LogStateFile.DefaultPath("h", 1, null, "/home/u"));
        Assert.Equal(Path.Combine("/home/u", ".local", "state", "repsec", "h_1.json"), LogStateFile.DefaultPath("h", 1, "relative", "/home/u"));
    }
}
