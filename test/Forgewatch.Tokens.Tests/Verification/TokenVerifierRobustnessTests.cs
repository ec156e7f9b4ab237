using System.Text;
using Forgewatch.Tokens.Policy;
using Forgewatch.Tokens.Verdicts;
using Forgewatch.Tokens.Verification;
using static Forgewatch.Tokens.Tests.TestTokens;

namespace Forgewatch.Tokens.Tests.Verification;

/// <summary>Tokens are attacker-controlled: whatever their bytes, Verify returns a verdict and never throws,
/// and only the untouched token is valid.</summary>
public class TokenVerifierRobustnessTests
{
    [Fact]
    public void Verify_MutatedTokens_AlwaysAVerdictNeverAnException()
    {
        var verifier = new TokenVerifier(KeyScopePolicy.Create([Set("k", RsaJwk(Rsa, "k", issuer: TenantTemplate))]));
        string token = SignRsa(Rsa, "k", ClaimsOf(VictimIssuer, VictimTenant));
        string[] parts = token.Split('.');
        string header = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]));
        string payload = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
        var random = new Random(5);
        const string Alphabet = "{}[],:\"\\ -0123456789.eEtrufalsnu\t\u0001xé😀";
        int valid = 0;
        for (int i = 0; i < 5_000; i++)
        {
            string mutated = random.Next(3) switch
            {
                0 => $"{Base64Url(Encoding.UTF8.GetBytes(Mutate(header, random, Alphabet)))}.{parts[1]}.{parts[2]}",
                1 => $"{parts[0]}.{Base64Url(Encoding.UTF8.GetBytes(Mutate(payload, random, Alphabet)))}.{parts[2]}",
                _ => Mutate(token, random, "._-=+/ AZaz09\u0000é"),
            };

            TokenVerdict verdict = verifier.Verify(mutated, Now);

            Assert.NotNull(verdict.Reason);
            Assert.DoesNotContain(verdict.Message, char.IsControl);
            if (verdict.Kind == VerdictKind.Valid)
            {
                valid++;
                Assert.Equal(token, mutated);
            }
        }

        Assert.True(valid < 50, $"{valid} mutated tokens came out valid");
    }

    private static string Mutate(string text, Random random, string alphabet)
    {
        var builder = new StringBuilder(text);
        for (int m = random.Next(1, 4); m > 0 && builder.Length > 0; m--)
        {
            int at = random.Next(builder.Length);
            switch (random.Next(3))
            {
                case 0:
                    builder.Remove(at, 1);
                    break;
                case 1:
                    builder.Insert(at, alphabet[random.Next(alphabet.Length)]);
                    break;
                default:
                    builder[at] = alphabet[random.Next(alphabet.Length)];
                    break;
            }
        }

        return builder.ToString();
    }
}
