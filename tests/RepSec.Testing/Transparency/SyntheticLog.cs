using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RepSec.Client;
using RepSec.Client.Wire;
using RepSec.Protocol.Transparency;

namespace RepSec.Testing.Transparency;

/// <summary>
/// A small transparency log built here from the primitives, the way a server would build one: per-entry secrets,
/// HMAC commitments, canonical leaves, stored complete subtrees and a checkpoint signed with a fresh key. It
/// serves AUDIT-shaped answers that tests then tamper with.
/// </summary>
internal sealed class SyntheticLog
{
    public const string Origin = "repsec.test/log";

    private readonly Dictionary<(int, long), byte[]> _nodes = [];

    public SyntheticLog(IReadOnlyList<Entry> entries, byte[]? privateKey = null)
    {
        Entries = entries;
        PrivateKey = privateKey ?? SignedNote.NewPrivateKey();
        var level0 = entries.Select(e => e.Leaf().Hash()).ToArray();
        for (var i = 0; i < level0.Length; i++)
        {
            _nodes[(0, i)] = level0[i];
        }

        for (var level = 1; (1L << level) <= level0.Length; level++)
        {
            for (long index = 0; (index + 1) << level <= level0.Length; index++)
            {
                _nodes[(level, index)] = MerkleHash.Node(_nodes[(level - 1, 2 * index)], _nodes[(level - 1, (2 * index) + 1)]);
            }
        }
    }

    public IReadOnlyList<Entry> Entries { get; }

    public byte[] PrivateKey { get; }

    public string VerifierKey => SignedNote.VerifierKey(Origin, SignedNote.PublicKey(PrivateKey));

    public long Size => Entries.Count;

    public IMerkleNodes Nodes => new Subtrees(_nodes);

    /// <summary>Ten entries about a few entities, by a few principals, at distinct times.</summary>
    public static SyntheticLog Standard() => new(
    [
        Entry.Create(0, "principal_add", "principal\nalice", "operator"),
        Entry.Create(1, "register", "domain\nexample.com", "alice"),
        Entry.Create(2, "register", "domain\nother.example", "bob"),
        Entry.Create(3, "register", "ip\n192.0.2.0/24", "alice"),
        Entry.Create(4, "remove", "domain\nexample.com", "alice"),
        Entry.Create(5, "register", "domain\nexample.com", "bob"),
        Entry.Create(6, "token_issue", "principal\ncarol", "operator"),
        Entry.Create(7, "register", "organization\nstrasse ag", "carol"),
        Entry.Create(8, "remove", "domain\nother.example", "bob"),
        Entry.Create(9, "register", "asn\n64496", "alice"),
    ]);

    /// <summary>The same log with one entry replaced: a fork that rewrote the past.</summary>
    public SyntheticLog Rewrite(int index, Func<Entry, Entry> change) =>
        new([.. Entries.Select((e, i) => i == index ? change(e) : e)], PrivateKey);

    /// <summary>The log as it was when it held its first <paramref name="size"/> entries.</summary>
    public SyntheticLog Prefix(int size) => new([.. Entries.Take(size)], PrivateKey);

    public byte[] Root(long size) => MerkleProofs.Root(Nodes, size);

    public string Checkpoint(long size, byte[]? signingKey = null) =>
        new Checkpoint(Origin, size, Root(size)).Sign(signingKey ?? PrivateKey);

    /// <summary>The AUDIT answer a server would send about <paramref name="subject"/>, showing the actors <paramref name="shown"/> names.</summary>
    public JsonObject AuditAnswer(string entity, string type, string subject, params string[] shown)
    {
        var entries = new JsonArray();
        foreach (var entry in Entries.Where(e => e.Subject == subject))
        {
            var show = shown.Contains(entry.Actor);
            var opening = new JsonObject { ["subject"] = B64(entry.Key(LogCommitment.Subject)) };
            if (show)
            {
                opening["actor"] = B64(entry.Key(LogCommitment.Actor));
            }

            var leaf = entry.Leaf();
            entries.Add(new JsonObject
            {
                ["log_index"] = entry.Index,
                ["action"] = entry.Action,
                ["time"] = entry.At,
                ["actor"] = show ? entry.Actor : null,
                ["leaf"] = new JsonObject { ["subject"] = B64(leaf.Subject), ["actor"] = B64(leaf.Actor), ["record"] = leaf.Record is null ? null : B64(leaf.Record) },
                ["opening"] = opening,
                ["inclusion"] = new JsonArray([.. MerkleProofs.Inclusion(Nodes, entry.Index, Size).Select(h => (JsonNode)B64(h))]),
            });
        }

        return new JsonObject
        {
            ["status"] = 200,
            ["message"] = "OK",
            ["entity"] = entity,
            ["type"] = type,
            ["entries"] = entries,
            ["tree_size"] = Size,
            ["checkpoint"] = Checkpoint(Size),
        };
    }

    /// <summary>Reads an answer the way the client library does.</summary>
    public static AuditResult Read(JsonObject answer) => ResultReader.Audit(JsonDocument.Parse(answer.ToJsonString()).RootElement.Clone());

    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    /// <summary>One change with its secret; the record digest stands in for the server's digest of the stored row.</summary>
    public sealed record Entry(long Index, string Action, string At, string Subject, string Actor, byte[] Secret)
    {
        public static Entry Create(long index, string action, string subject, string actor) =>
            new(index, action, string.Create(CultureInfo.InvariantCulture, $"2026-11-22T10:00:{index:00}.{100 + index:000}Z"), subject, actor, LogCommitment.NewSecret());

        public byte[] Key(string field) => LogCommitment.DeriveKey(Secret, field);

        public LogLeaf Leaf() => new(
            Index,
            Action,
            At,
            LogCommitment.Commit(Key(LogCommitment.Subject), Subject),
            LogCommitment.Commit(Key(LogCommitment.Actor), Actor),
            Action == "register" ? LogCommitment.Commit(Key(LogCommitment.Record), SHA256.HashData(Encoding.UTF8.GetBytes(Subject))) : null);
    }

    private sealed class Subtrees(Dictionary<(int, long), byte[]> nodes) : IMerkleNodes
    {
        public byte[] Subtree(int level, long index) => nodes[(level, index)];
    }
}
