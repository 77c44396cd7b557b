using RepSec.Fuzz;
using SharpFuzz;

// Usage: RepSec.Fuzz <target>                 run under afl-fuzz (persistent mode, input from AFL)
//        RepSec.Fuzz <target> <file|dir>...   replay inputs without AFL, e.g. a crash afl-fuzz saved; use a
//                                             build that sharpfuzz did not instrument (it needs AFL's shared memory)
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    await Console.Error.WriteLineAsync($"usage: RepSec.Fuzz <{string.Join('|', FuzzTargets.All.Keys)}> [file|dir ...]");
    return 2;
}

if (args.Length == 1)
{
    Fuzzer.Run(stream =>
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        target(copy.GetBuffer().AsSpan(0, (int)copy.Length));
    });
    return 0;
}

var replayed = 0;
foreach (var path in args.Skip(1).SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p]))
{
    Console.WriteLine(path);
    target(await File.ReadAllBytesAsync(path));
    replayed++;
}

Console.WriteLine($"{args[0]}: {replayed} inputs replayed, no invariant broken");
return 0;
