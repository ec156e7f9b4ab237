using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Forgewatch.Tokens.Keys.Crypto;

/// <summary>
/// An OpenSSL <c>EVP_PKEY</c> holding one public key, with a small pool of verification contexts set up once
/// (padding and digest included) and reused across calls and threads; a context is only ever used by one
/// call at a time. Each call holds a reference on the handle, so disposing the key while another thread
/// verifies frees nothing under it: the key and its contexts are freed when the last call ends.
/// </summary>
internal sealed unsafe class OpenSslPublicKey : SafeHandle
{
    /// <summary>Idle contexts kept beyond this are freed: enough for every core to verify at once.</summary>
    private static readonly int MaxIdle = Math.Max(4, 2 * Environment.ProcessorCount);

    private readonly LibCrypto.Api _api;
    private readonly int _rsaPadding;
    private readonly nint _digest;
    private readonly Lock _lock = new();
    private readonly Stack<nint> _idle = new();

    private OpenSslPublicKey(LibCrypto.Api api, nint key, int rsaPadding, nint digest)
        : base(0, ownsHandle: true)
    {
        _api = api;
        _rsaPadding = rsaPadding;
        _digest = digest;
        SetHandle(key);
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>The key from its DER SubjectPublicKeyInfo, with its first context made now, so that a key OpenSSL
    /// cannot set up is known at load time; null then. <paramref name="rsaPadding"/> is 0 for EC keys, and
    /// <paramref name="digest"/> is the <c>EVP_MD</c> RSA signatures are made over (unused for EC).</summary>
    public static OpenSslPublicKey? Create(LibCrypto.Api api, ReadOnlySpan<byte> subjectPublicKeyInfo, int rsaPadding, nint digest)
    {
        nint key;
        fixed (byte* start = subjectPublicKeyInfo)
        {
            byte* cursor = start;
            key = api.DecodePublicKey(0, &cursor, subjectPublicKeyInfo.Length);
        }

        if (key == 0)
        {
            api.ClearErrors();
            return null;
        }

        var publicKey = new OpenSslPublicKey(api, key, rsaPadding, digest);
        nint context = publicKey.NewContext();
        if (context == 0)
        {
            publicKey.Dispose();
            return null;
        }

        publicKey.Return(context);
        return publicKey;
    }

    /// <summary>Whether <paramref name="signature"/> (RSA: the raw signature; EC: DER) is valid over
    /// <paramref name="digest"/>. Only OpenSSL's 1 is true; errors are cleared from the thread's queue.</summary>
    public bool Verify(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        bool added = false;
        DangerousAddRef(ref added);
        try
        {
            nint context = Rent();
            int result;
            fixed (byte* signatureBytes = signature)
            fixed (byte* digestBytes = digest)
            {
                result = _api.Verify(context, signatureBytes, (nuint)signature.Length, digestBytes, (nuint)digest.Length);
            }

            if (result == 1)
            {
                Return(context);
                return true;
            }

            // A refused signature leaves errors on the thread's queue; the context is not trusted again.
            _api.ClearErrors();
            _api.FreeContext(context);
            return false;
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    private nint Rent()
    {
        lock (_lock)
        {
            if (_idle.TryPop(out nint context))
            {
                return context;
            }
        }

        nint created = NewContext();
        return created != 0 ? created : throw new CryptographicException("OpenSSL could not set up a verification context.");
    }

    private void Return(nint context)
    {
        lock (_lock)
        {
            if (_idle.Count < MaxIdle)
            {
                _idle.Push(context);
                return;
            }
        }

        _api.FreeContext(context);
    }

    private nint NewContext()
    {
        nint context = _api.NewContext(handle, 0);
        if (context == 0)
        {
            _api.ClearErrors();
            return 0;
        }

        bool ready = _api.VerifyInit(context) == 1
            && (_rsaPadding == 0 || (_api.SetRsaPadding(context, _rsaPadding) == 1
                && (_rsaPadding != LibCrypto.RsaPssPadding || _api.SetRsaPssSaltLength(context, LibCrypto.PssSaltLengthDigest) == 1)
                && _api.SetSignatureDigest(context, _digest) == 1));
        if (ready)
        {
            return context;
        }

        _api.ClearErrors();
        _api.FreeContext(context);
        return 0;
    }

    protected override bool ReleaseHandle()
    {
        // No call is running (each holds a reference), so every context is idle.
        foreach (nint context in _idle)
        {
            _api.FreeContext(context);
        }

        _idle.Clear();
        _api.FreeKey(handle);
        return true;
    }
}
