using System.CommandLine;
using RepSec.LoadGen;

var server = new Option<string>("--server") { Description = "host:port, or several comma-separated (connections spread over them)", DefaultValueFactory = _ => "127.0.0.1:4655" };
var connections = new Option<int>("--connections") { Description = "concurrent connections", DefaultValueFactory = _ => 50 };
var seconds = new Option<int>("--seconds") { Description = "measured seconds (after 1 s warm-up)", DefaultValueFactory = _ => 10 };
var command = new Option<string>("--command") { Description = "ping | verify | register | reputation | report", DefaultValueFactory = _ => "ping" };
var token = new Option<string?>("--token") { Description = "bearer token (register, report, and --prepare)" };
var keys = new Option<int>("--keys") { Description = "VERIFY and REPUTATION key space: bench0..benchK-1.example", DefaultValueFactory = _ => 1000 };
var prepare = new Option<bool>("--prepare") { Description = "register the VERIFY key space first (needs --token)" };
var root = new RootCommand("repsec-loadgen: closed-loop RepSec load over TLS; prints rps=... ok=... bad=... p50_us=... p99_us=...")
{
    server, connections, seconds, command, token, keys, prepare,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var settings = new LoadSettings(parse.GetValue(server)!, parse.GetValue(connections), parse.GetValue(seconds),
        parse.GetValue(command)!.ToLowerInvariant(), parse.GetValue(token), parse.GetValue(keys));
    if (settings.Command is not ("ping" or "verify" or "register" or "reputation" or "report"))
    {
        await Console.Error.WriteLineAsync("--command must be ping, verify, register, reputation or report");
        return 2;
    }

    if (parse.GetValue(prepare))
    {
        await LoadRun.PrepareAsync(settings, cancellationToken);
    }

    var report = await LoadRun.RunAsync(settings, cancellationToken);
    Console.WriteLine(report);
    return report.Bad == 0 ? 0 : 1;
});
return await root.Parse(args).InvokeAsync();
