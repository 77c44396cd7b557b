using System.CommandLine;
using RepSec.Attack;

var host = new Option<string>("--host") { Description = "server address (loopback: attackers come from other 127/8 addresses)", DefaultValueFactory = _ => "127.0.0.1" };
var repsecPort = new Option<int>("--repsec-port") { Description = "RepSec TLS port", DefaultValueFactory = _ => 4655 };
var rdapPort = new Option<int>("--rdap-port") { Description = "RDAP HTTPS port", DefaultValueFactory = _ => 8443 };
var ca = new Option<string>("--ca") { Description = "PEM CA certificate the server's certificate chains to", Required = true };
var token = new Option<string>("--token") { Description = "a registrant's bearer token (registers the domain the good client reads)", Required = true };
var principal = new Option<string>("--principal") { Description = "whose RDAP password the brute force guesses", DefaultValueFactory = _ => "attack-victim" };
var domain = new Option<string>("--domain") { Description = "the domain the good client VERIFYs and looks up", DefaultValueFactory = _ => "good-client.example" };
var pid = new Option<int?>("--pid") { Description = "server process id, for its RSS (/proc/PID/status)" };
var seconds = new Option<int>("--seconds") { Description = "measured seconds per scenario", DefaultValueFactory = _ => 10 };
var scale = new Option<int>("--connections") { Description = "connections of the big attacks (slowloris, flood, handshake-and-hold)", DefaultValueFactory = _ => 1000 };
var only = new Option<string[]>("--scenario") { Description = "run only scenarios whose name starts with this (repeatable), e.g. --scenario a. --scenario f", AllowMultipleArgumentsPerToken = true };
var root = new RootCommand("repsec-attack: slow and abusive clients against a running repsecd; prints a markdown table of a good client's latency under each")
{
    host, repsecPort, rdapPort, ca, token, principal, domain, pid, seconds, scale, only,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var settings = new AttackSettings(parse.GetValue(host)!, parse.GetValue(repsecPort), parse.GetValue(rdapPort), parse.GetValue(ca)!,
        parse.GetValue(token)!, parse.GetValue(domain)!, parse.GetValue(pid), parse.GetValue(seconds), parse.GetValue(scale));
    var net = new Net(settings);
    await Preparation.RegisterAsync(net, cancellationToken);
    var filters = parse.GetValue(only) ?? [];
    var scenarios = Scenarios.All(settings.Scale, parse.GetValue(principal)!)
        .Where(s => filters.Length == 0 || s.Name == "baseline" || filters.Any(f => s.Name.StartsWith(f, StringComparison.OrdinalIgnoreCase)))
        .ToList();
    var runner = new Runner(net, new ServerMemory(settings.ServerPid), Console.Error);
    var results = new List<ScenarioResult>();
    foreach (var scenario in scenarios)
    {
        results.Add(await runner.RunAsync(scenario, cancellationToken));
    }

    Console.WriteLine(Runner.Table(results));
    return 0;
});
return await root.Parse(args).InvokeAsync();
