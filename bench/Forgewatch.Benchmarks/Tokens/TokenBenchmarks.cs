using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Forgewatch.Tokens.Keys;
using Forgewatch.Tokens.Verdicts;
using Forgewatch.Tokens.Verification;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Forgewatch.Benchmarks.Tokens;

/// <summary>
/// One algorithm family three ways over the same <see cref="TokenFixture.Count"/> tokens in the same run: the
/// bare signature primitive over the precomputed signing inputs and decoded signatures (the baseline), the
/// <see cref="TokenVerifier"/> on the token text through the whole key-scope policy, and
/// <see cref="JsonWebTokenHandler.ValidateTokenAsync(string, TokenValidationParameters)"/> with the same
/// issuer, audience and lifetime checks; a fourth, the verifier's signature check alone, shows the floor. Each invocation checks every token once, so times and allocations
/// are per token, and each benchmark throws unless all were accepted. Run through <see cref="TokenRun"/>,
/// which gives them <see cref="TokenBenchConfig"/>.
/// </summary>
public abstract class TokenBenchmarks
{
    private const int N = TokenFixture.Count;

    private TokenFixture _fixture = null!;
    private string[] _tokens = null!;
    private TokenVerifier _verifier = null!;
    private JsonWebTokenHandler _handler = null!;
    private TokenValidationParameters _parameters = null!;

    protected abstract TokenAlgorithm Algorithm { get; }

    protected TokenFixture Fixture => _fixture;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = TokenFixture.Create(Algorithm);
        _tokens = _fixture.Tokens;
        _verifier = _fixture.Verifier;
        _handler = _fixture.Handler;
        _parameters = _fixture.HandlerParameters;
        Prepare();
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    /// <summary>Copies what the bare loop needs into fields of the derived class.</summary>
    protected abstract void Prepare();

    /// <summary>The signature primitive alone, over the same inputs, signatures and key.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public int Bare() => Expect(BareVerifyAll());

    [Benchmark(OperationsPerInvoke = N)]
    public int Forgewatch_TokenVerifier()
    {
        TokenVerifier verifier = _verifier;
        int valid = 0;
        foreach (string token in _tokens)
        {
            if (verifier.Verify(token).Kind == VerdictKind.Valid)
            {
                valid++;
            }
        }

        return Expect(valid);
    }

    /// <summary>The verifier's signature check alone (<see cref="SigningKey.Verify"/>: hash and signature,
    /// no parsing, no policy) over the same inputs: the floor under any verifier built on it, which tells how
    /// far the handler target can be reached.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public int Forgewatch_SignatureOnly()
    {
        SigningKey key = _fixture.Key;
        byte[][] inputs = _fixture.SigningInputs;
        byte[][] signatures = _fixture.Signatures;
        int valid = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (key.Verify(inputs[i], signatures[i]))
            {
                valid++;
            }
        }

        return Expect(valid);
    }

    [Benchmark(OperationsPerInvoke = N)]
    public async Task<int> JsonWebTokenHandler_ValidateTokenAsync()
    {
        int valid = 0;
        foreach (string token in _tokens)
        {
            TokenValidationResult result = await _handler.ValidateTokenAsync(token, _parameters).ConfigureAwait(false);
            if (result.IsValid)
            {
                valid++;
            }
        }

        return Expect(valid);
    }

    /// <summary>Verifies all <see cref="TokenFixture.Count"/> signatures with the bare primitive; returns how
    /// many verified.</summary>
    protected abstract int BareVerifyAll();

    private static int Expect(int valid) =>
        valid == N ? valid : throw new InvalidOperationException($"Only {valid} of {N} tokens were accepted.");
}

/// <summary>RS256 (2048-bit key, x5c/x5t as Entra publishes them) against <c>RSA.VerifyData</c>, PKCS #1 v1.5.</summary>
public class Rs256TokenBenchmarks : TokenBenchmarks
{
    private RSA _rsa = null!;
    private byte[][] _inputs = null!;
    private byte[][] _signatures = null!;

    protected override TokenAlgorithm Algorithm => TokenAlgorithm.RS256;

    protected override void Prepare() => (_rsa, _inputs, _signatures) = (Fixture.PublicRsa!, Fixture.SigningInputs, Fixture.Signatures);

    protected override int BareVerifyAll()
    {
        RSA rsa = _rsa;
        byte[][] inputs = _inputs;
        byte[][] signatures = _signatures;
        int valid = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (rsa.VerifyData(inputs[i].AsSpan(), signatures[i], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                valid++;
            }
        }

        return valid;
    }
}

/// <summary>ES256 (P-256) against <c>ECDsa.VerifyData</c>, IEEE P1363 signatures.</summary>
public class Es256TokenBenchmarks : TokenBenchmarks
{
    private ECDsa _ecdsa = null!;
    private byte[][] _inputs = null!;
    private byte[][] _signatures = null!;

    protected override TokenAlgorithm Algorithm => TokenAlgorithm.ES256;

    protected override void Prepare() => (_ecdsa, _inputs, _signatures) = (Fixture.PublicEcdsa!, Fixture.SigningInputs, Fixture.Signatures);

    protected override int BareVerifyAll()
    {
        ECDsa ecdsa = _ecdsa;
        byte[][] inputs = _inputs;
        byte[][] signatures = _signatures;
        int valid = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (ecdsa.VerifyData(inputs[i].AsSpan(), signatures[i], HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                valid++;
            }
        }

        return valid;
    }
}

/// <summary>HS256 (32-byte secret) against <c>HMACSHA256.HashData</c> and
/// <c>CryptographicOperations.FixedTimeEquals</c>.</summary>
public class Hs256TokenBenchmarks : TokenBenchmarks
{
    private byte[] _secret = null!;
    private byte[][] _inputs = null!;
    private byte[][] _signatures = null!;

    protected override TokenAlgorithm Algorithm => TokenAlgorithm.HS256;

    protected override void Prepare() => (_secret, _inputs, _signatures) = (Fixture.Secret!, Fixture.SigningInputs, Fixture.Signatures);

    protected override int BareVerifyAll()
    {
        byte[] secret = _secret;
        byte[][] inputs = _inputs;
        byte[][] signatures = _signatures;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        int valid = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            HMACSHA256.HashData(secret, inputs[i], mac);
            if (CryptographicOperations.FixedTimeEquals(mac, signatures[i]))
            {
                valid++;
            }
        }

        return valid;
    }
}
