namespace RepSec.Cli.Tests;

/// <summary>A mistyped command line: exit code 2, what was wrong, and the nearest command when one is near.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData(new[] { "regster", "example.com" }, "Did you mean 'repsec register'?")]
    [InlineData(new[] { "verfiy", "example.com" }, "Did you mean 'repsec verify'?")]
    [InlineData(new[] { "rdap", "domian", "example.com" }, "Did you mean 'repsec rdap domain'?")]
    public async Task A_near_miss_names_the_command_it_was_probably_meant_to_be(string[] args, string suggestion)
    {
        var (exit, error) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains($"Unrecognized command or argument '{args[^2]}'", error, StringComparison.Ordinal);
        Assert.Contains(suggestion, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--tokn", "x", "hello" }, "Did you mean '--token'?")]
    [InlineData(new[] { "register", "example.com", "--tpye", "domain" }, "Did you mean '--type'?")]
    [InlineData(new[] { "reputation", "bad.example", "--report" }, "Did you mean '--reports'?")]
    public async Task A_near_miss_of_an_option_names_the_option(string[] args, string suggestion)
    {
        var (exit, error) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains(suggestion, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_is_suggested_when_nothing_is_near()
    {
        var (exit, error) = await RunAsync(["zzzzzz"]);

        Assert.Equal(2, exit);
        Assert.DoesNotContain("Did you mean", error, StringComparison.Ordinal);
        Assert.Contains("Try 'repsec --help'.", error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Error)> RunAsync(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, stdout, stderr);
        return (exit, stderr.ToString());
    }
}
