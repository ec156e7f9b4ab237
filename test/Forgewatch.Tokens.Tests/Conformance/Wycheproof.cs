// Test vectors from Project Wycheproof (https://github.com/C2SP/wycheproof, formerly google/wycheproof),
// licensed under the Apache License 2.0 (the LICENSE file sits beside the data). They are read in place
// from ../shared/testdata/external/wycheproof through RepositoryPaths.ExternalTestData and never copied
// into this repository; without them the conformance tests skip with a message naming what is missing.

using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Forgewatch.Testing;
using Forgewatch.Tokens.Keys;
using Forgewatch.Tokens.Keys.Crypto;
using Forgewatch.Tokens.Policy;
using Forgewatch.Tokens.Verdicts;
using Forgewatch.Tokens.Verification;
using Xunit.Sdk;

namespace Forgewatch.Tokens.Tests.Conformance;

/// <summary>One Wycheproof test: its own object, the group it sits in, and its label.</summary>
public sealed record WycheproofVector(string File, int TcId, string Comment, string Result, IReadOnlyList<string> Flags, JsonElement Test, JsonElement Group)
{
    public const string Valid = "valid";
    public const string Invalid = "invalid";
    public const string Acceptable = "acceptable";

    public override string ToString() =>
        $"{File} tc{TcId} \"{Comment}\" (labelled {Result}{(Flags.Count == 0 ? "" : ", flags " + string.Join(", ", Flags))})";
}

/// <summary>Loads Wycheproof files and hands their tests to xUnit theories, one case per tcId.</summary>
internal static class Wycheproof
{
    public const string JwsFile = "json_web_signature_test.json";
    public const string JwkFile = "json_web_key_test.json";
    public const string EcdsaP256File = "ecdsa_secp256r1_sha256_p1363_test.json";
    public const string RsaPkcs1File = "rsa_signature_2048_sha256_test.json";
    public const string RsaPssFile = "rsa_pss_2048_sha256_mgf1_32_test.json";

    /// <summary>The one case a theory gets when the data is missing: no Wycheproof test has tcId 0, and
    /// asking for it skips the test with the helper's message.</summary>
    public const int MissingData = 0;

    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyDictionary<int, WycheproofVector>>> Files = new(StringComparer.Ordinal);

    /// <summary>Every test of <paramref name="file"/> by tcId; skips the calling test when the data is missing.</summary>
    public static IReadOnlyDictionary<int, WycheproofVector> Load(string file)
    {
        string path = RepositoryPaths.ExternalTestData("wycheproof", file);
        return Files.GetOrAdd(path, p => new Lazy<IReadOnlyDictionary<int, WycheproofVector>>(() => Parse(p, file))).Value;
    }

    /// <summary>The test <paramref name="tcId"/> of <paramref name="file"/>; skips when the data is missing.</summary>
    public static WycheproofVector Vector(string file, int tcId)
    {
        IReadOnlyDictionary<int, WycheproofVector> vectors = Load(file);
        return vectors.TryGetValue(tcId, out WycheproofVector? vector)
            ? vector
            : throw new InvalidOperationException($"{file} has no test with tcId {tcId}.");
    }

    /// <summary>Theory data: the tcIds of <paramref name="file"/> except <paramref name="excluded"/>, or the
    /// single <see cref="MissingData"/> case when the file is missing (evaluated at discovery, where a skip
    /// cannot be raised).</summary>
    public static TheoryData<int> TcIds(string file, IEnumerable<int>? excluded = null)
    {
        IReadOnlyDictionary<int, WycheproofVector> vectors;
        try
        {
            vectors = Load(file);
        }
        catch (SkipException)
        {
            return new TheoryData<int>(MissingData);
        }

        var skip = new HashSet<int>(excluded ?? []);
        return new TheoryData<int>(vectors.Keys.Where(id => !skip.Contains(id)).Order());
    }

    private static Dictionary<int, WycheproofVector> Parse(string path, string file)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement root = document.RootElement.Clone();
        var vectors = new Dictionary<int, WycheproofVector>();
        foreach (JsonElement group in root.GetProperty("testGroups").EnumerateArray())
        {
            foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
            {
                int tcId = test.GetProperty("tcId").GetInt32();
                string[] flags = test.TryGetProperty("flags", out JsonElement f) ? f.EnumerateArray().Select(e => e.GetString()!).ToArray() : [];
                var vector = new WycheproofVector(file, tcId, test.GetProperty("comment").GetString() ?? "", test.GetProperty("result").GetString()!, flags, test, group);
                if (!vectors.TryAdd(tcId, vector))
                {
                    throw new InvalidOperationException($"{file} repeats tcId {tcId}.");
                }
            }
        }

        int declared = root.GetProperty("numberOfTests").GetInt32();
        return vectors.Count == declared
            ? vectors
            : throw new InvalidOperationException($"{file} declares {declared} tests and holds {vectors.Count}.");
    }
}

/// <summary>What the JWS layer made of one JWS or JWK test: the verdict, the keys refused on reading, and the
/// payload when valid.</summary>
public sealed record JwsOutcome(TokenVerdict Verdict, IReadOnlyList<RefusedKey> RefusedKeys, byte[]? Payload)
{
    /// <summary>Reason of <see cref="Verdict"/> when the group's key set could not be read at all.</summary>
    public const string UnreadableKeySet = "test:unreadable_key_set";

    public override string ToString() =>
        $"{Verdict.Kind} ({Verdict.Reason}): {Verdict.Message}"
        + (RefusedKeys.Count == 0 ? "" : " Refused keys: " + string.Join("; ", RefusedKeys.Select(k => $"{k.KeyId ?? "(no kid)"} {k.Reason}")));
}

/// <summary>Drives the library as an application would: the group's key (set) read by
/// <see cref="JsonWebKeyReader.ReadSet"/>, a policy over it, and <see cref="TokenVerifier.VerifySignature"/>.</summary>
internal static class JwsRunner
{
    /// <summary>The group's <c>public</c> key or key set, else its <c>private</c> one (secret keys).</summary>
    public static JsonElement GroupKey(WycheproofVector vector) =>
        vector.Group.TryGetProperty("public", out JsonElement key) ? key : vector.Group.GetProperty("private");

    /// <summary>The token: compact JWS text, or the JSON text of a JWS JSON serialization.</summary>
    public static string Token(WycheproofVector vector)
    {
        JsonElement jws = vector.Test.GetProperty("jws");
        return jws.ValueKind == JsonValueKind.String ? jws.GetString()! : jws.GetRawText();
    }

    /// <summary>The vector through keys that verify as they would in production (OpenSSL directly, where
    /// available), or, with <paramref name="portable"/>, through .NET's RSA and ECDsa classes.</summary>
    public static JwsOutcome Run(WycheproofVector vector, bool portable = false) =>
        Run(GroupKey(vector).GetRawText(), Token(vector), $"wycheproof tc{vector.TcId} group", portable);

    public static JwsOutcome Run(string keyJson, string token, string source, bool portable = false)
    {
        KeySet set;
        try
        {
            using IDisposable? scope = portable ? SignatureCheck.UsePortable() : null;
            set = JsonWebKeyReader.ReadSet(Encoding.UTF8.GetBytes(keyJson), source);
        }
        catch (FormatException e)
        {
            return new JwsOutcome(TokenVerdict.Invalid(JwsOutcome.UnreadableKeySet, e.Message), [], null);
        }

        using (set)
        {
            KeyScopePolicy policy = KeyScopePolicy.Create([set]);
            TokenVerdict verdict = new TokenVerifier(policy).VerifySignature(token, out byte[]? payload);
            return new JwsOutcome(verdict, [.. policy.Refused], payload);
        }
    }

    /// <summary>Null when the outcome agrees with the label, else why not.</summary>
    public static string? Disagreement(WycheproofVector vector, JwsOutcome outcome) => vector.Result switch
    {
        WycheproofVector.Valid when outcome.Verdict.Kind != VerdictKind.Valid => $"{vector}: expected valid, got {outcome}",
        WycheproofVector.Invalid when outcome.Verdict.Kind == VerdictKind.Valid => $"{vector}: expected invalid, got {outcome}",
        WycheproofVector.Valid or WycheproofVector.Invalid or WycheproofVector.Acceptable => null,
        _ => $"{vector}: unknown label \"{vector.Result}\"",
    };
}

public class WycheproofLoaderTests
{
    [Theory]
    [InlineData(Wycheproof.JwsFile)]
    [InlineData(Wycheproof.JwkFile)]
    [InlineData(Wycheproof.EcdsaP256File)]
    [InlineData(Wycheproof.RsaPkcs1File)]
    [InlineData(Wycheproof.RsaPssFile)]
    public void TcIds_EveryFile_AllTestsButTheQuirks(string file)
    {
        IReadOnlyDictionary<int, WycheproofVector> vectors = Wycheproof.Load(file);
        int[] quirks = [.. WycheproofQuirks.TcIds(file)];

        TheoryData<int> data = Wycheproof.TcIds(file, quirks);

        Assert.All(quirks, id => Assert.True(vectors.ContainsKey(id), $"{file} has no tc{id}"));
        Assert.Equal(vectors.Count - quirks.Length, data.Count);
    }
}
