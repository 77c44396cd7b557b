using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RepSec.Protocol;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Parsing;

namespace RepSec.Fuzz.Tests;

/// <summary>Properties of request decoding over generated requests and their mutations.</summary>
public sealed class RequestProperties
{
    [Property(MaxTest = 1000)]
    public Property Generated_requests_parse_back_to_the_members_sent() =>
        Prop.ForAll(Generators.Request.ToArbitrary(), model =>
        {
            var request = new Request();
            var error = RequestParser.Parse(model.ToLine(), request, ParserLimits.Default);

            Assert.Null(error);
            Assert.True(request.HasCommand);
            Assert.Equal(model.Command, request.Command.ToString());
            Assert.Equal(model.RawId ?? "", Encoding.UTF8.GetString(request.RawId));
            Assert.Equal(model.Auth, request.Auth);
            Assert.Equal(model.Nonce, request.Nonce);
            Assert.Equal(model.Timestamp?.Value, request.Timestamp);
            Assert.Equal(model.Entity, request.Entity);
            Assert.Equal(model.Type, request.Type);
            Assert.Equal(model.Client, request.Client);
            Assert.Equal(model.AttributesJson is null or "null" ? null : model.AttributesJson, request.AttributesJson);
            Assert.Equal(model.ExtraInOrder, request.Extra);
        });

    [Property(MaxTest = 1000)]
    public Property Mutated_requests_give_a_request_or_a_400_and_never_throw() =>
        Prop.ForAll(Generators.Request.ToArbitrary(), Generators.Mutations.ToArbitrary(), (model, mutations) =>
        {
            var line = Mutate(model.ToLine(), mutations);

            // CheckLine throws on any broken invariant: a foreign error code, an accepted line that
            // JsonDocument reads differently, an id echo that is not JSON, a reused request that remembers.
            var error = RequestTarget.CheckLine(line, new Request(), ParserLimits.Default);

            Assert.True(error is null || error.Status == StatusCodes.BadRequest, $"status {error?.Status}");
        });

    [Property(MaxTest = 500)]
    public Property A_member_sent_twice_is_a_duplicate_member() =>
        Prop.ForAll(Generators.Request.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (model, which, where) =>
        {
            var members = model.Members.ToList();
            var repeated = members[which % members.Count];
            members.Insert(where % (members.Count + 1), repeated);
            var line = Encoding.UTF8.GetBytes("{" + string.Join(",", members.Select(m => $"\"{m.Key}\":{m.Value}")) + "}");

            Assert.Equal(ErrorCodes.DuplicateMember, RequestParser.Parse(line, new Request(), ParserLimits.Default)?.Code);
        });

    [Property(MaxTest = 500)]
    public Property Requests_one_level_too_deep_are_too_deep() =>
        Prop.ForAll(Generators.Request.ToArbitrary(), Gen.Choose(2, 40).ToArbitrary(), (model, limit) =>
        {
            // An extension member nested so that its innermost container sits at depth limit + 1.
            var nested = new string('[', limit) + new string(']', limit);
            var line = Encoding.UTF8.GetBytes("{\"deep\":" + nested + "," + Encoding.UTF8.GetString(model.ToLine())[1..]);

            var error = RequestParser.Parse(line, new Request(), ParserLimits.Default with { MaxJsonDepth = limit });
            var atLimit = RequestParser.Parse(Encoding.UTF8.GetBytes("{\"deep\":" + nested[1..^1] + "}"), new Request(), ParserLimits.Default with { MaxJsonDepth = limit });

            Assert.Equal(ErrorCodes.TooDeep, error?.Code);
            Assert.Null(atLimit);
        });

    [Property(MaxTest = 1000)]
    public Property Generated_entities_canonicalize_as_documented_and_stay_put() =>
        Prop.ForAll(Entities.Any.ToArbitrary(), entity =>
        {
            Assert.True(EntityCanonicalizer.TryCanonicalize(entity.Type, entity.Input, out var canonical, out var error), error);
            Assert.Equal(entity.Canonical, canonical.Value);

            // Canonical forms are fixed points for every type that accepts them (the fuzz target's check).
            RequestTarget.CheckEntity(entity.Input);
        });

    [Property(MaxTest = 300)]
    public Property Ipv4_mapped_addresses_are_their_ipv4_address() =>
        Prop.ForAll(Entities.Ipv4.Where(e => !e.Input.Contains('/', StringComparison.Ordinal)).ToArbitrary(), entity =>
        {
            Assert.True(EntityCanonicalizer.TryCanonicalize(EntityType.Ip, "::ffff:" + entity.Input, out var canonical, out _));
            Assert.Equal(entity.Canonical, canonical.Value);
        });

    private static byte[] Mutate(byte[] line, (int Kind, double At, byte Value)[] mutations)
    {
        var bytes = line.ToList();
        foreach (var (kind, position, value) in mutations)
        {
            var at = (int)(position * bytes.Count);
            switch (kind)
            {
                case 0 when at < bytes.Count: bytes[at] = value; break;
                case 1: bytes.Insert(at, value); break;
                case 2 when at < bytes.Count: bytes.RemoveAt(at); break;
            }
        }

        // A line never holds its terminator.
        return bytes.Where(b => b != (byte)'\n').ToArray();
    }
}
