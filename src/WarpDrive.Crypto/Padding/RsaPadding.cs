using System.Security.Cryptography;

namespace WarpDrive.Crypto.Padding;

/// <summary>
/// PKCS #1 (RFC 8017) encodings around the raw operation: v1.5 encryption and signatures, OAEP with MGF1 and an
/// empty label, PSS with MGF1 and a salt as long as the hash (what .NET's <see cref="RSASignaturePadding.Pss"/>
/// means). Decoding checks every condition without early exits and reports one failure.
/// </summary>
internal static class RsaPadding
{
    private static readonly byte[] s_md5 = [0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05, 0x05, 0x00, 0x04, 0x10];
    private static readonly byte[] s_sha1 = [0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14];
    private static readonly byte[] s_sha224 = Nist(0x2d, 0x04, 0x1c);
    private static readonly byte[] s_sha256 = Nist(0x31, 0x01, 0x20);
    private static readonly byte[] s_sha384 = Nist(0x41, 0x02, 0x30);
    private static readonly byte[] s_sha512 = Nist(0x51, 0x03, 0x40);
    private static readonly byte[] s_sha3_256 = Nist(0x31, 0x08, 0x20);
    private static readonly byte[] s_sha3_384 = Nist(0x41, 0x09, 0x30);
    private static readonly byte[] s_sha3_512 = Nist(0x51, 0x0a, 0x40);

    // DigestInfo for hashes under 2.16.840.1.101.3.4.2.x: SEQUENCE { SEQUENCE { OID, NULL }, OCTET STRING }.
    private static byte[] Nist(byte length, byte oidLast, byte hashLength) =>
        [0x30, length, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, oidLast, 0x05, 0x00, 0x04, hashLength];

    /// <summary>Output length of <paramref name="hash"/>.</summary>
    /// <exception cref="CryptographicException">The hash algorithm is not one RSA padding supports here.</exception>
    public static int HashLength(HashAlgorithmName hash) => hash.Name switch
    {
        "MD5" => 16,
        "SHA1" => 20,
        "SHA224" => 28,
        "SHA256" or "SHA3-256" => 32,
        "SHA384" or "SHA3-384" => 48,
        "SHA512" or "SHA3-512" => 64,
        _ => throw new CryptographicException($"Unknown or unsupported hash algorithm '{hash.Name}'."),
    };

    private static byte[] DigestInfoPrefix(HashAlgorithmName hash) => hash.Name switch
    {
        "MD5" => s_md5,
        "SHA1" => s_sha1,
        "SHA224" => s_sha224,
        "SHA256" => s_sha256,
        "SHA384" => s_sha384,
        "SHA512" => s_sha512,
        "SHA3-256" => s_sha3_256,
        "SHA3-384" => s_sha3_384,
        "SHA3-512" => s_sha3_512,
        _ => throw new CryptographicException($"Unknown or unsupported hash algorithm '{hash.Name}'."),
    };

    /// <summary>Largest message <see cref="EncodeEncryption"/> takes for a key of <paramref name="k"/> bytes.</summary>
    public static int MaxPlaintext(int k, RSAEncryptionPadding padding) => padding.Mode == RSAEncryptionPaddingMode.Pkcs1
        ? k - 11
        : k - 2 * HashLength(padding.OaepHashAlgorithm) - 2;

    /// <summary>EME-PKCS1-v1_5 or EME-OAEP into <paramref name="em"/> (k bytes).</summary>
    /// <exception cref="CryptographicException">The message is too long for the key and padding.</exception>
    public static void EncodeEncryption(ReadOnlySpan<byte> message, Span<byte> em, RSAEncryptionPadding padding)
    {
        int k = em.Length;
        int max = MaxPlaintext(k, padding);
        if (max < 0 || message.Length > max)
            throw new CryptographicException($"The message ({message.Length} bytes) is too long for this key ({k} bytes) and padding (at most {Math.Max(max, 0)}).");
        if (padding.Mode == RSAEncryptionPaddingMode.Pkcs1)
        {
            // 00 02 PS 00 M, PS nonzero random.
            em[0] = 0;
            em[1] = 2;
            var ps = em[2..(k - message.Length - 1)];
            RandomNonZero(ps);
            em[k - message.Length - 1] = 0;
            message.CopyTo(em[(k - message.Length)..]);
            return;
        }
        var hash = padding.OaepHashAlgorithm;
        int hLen = HashLength(hash);
        // 00 || maskedSeed || maskedDB, DB = lHash || PS || 01 || M.
        em[0] = 0;
        var seed = em.Slice(1, hLen);
        var db = em[(1 + hLen)..];
        CryptographicOperations.HashData(hash, [], db[..hLen]);
        db[hLen..(db.Length - message.Length - 1)].Clear();
        db[db.Length - message.Length - 1] = 1;
        message.CopyTo(db[(db.Length - message.Length)..]);
        RandomNumberGenerator.Fill(seed);
        Mgf1Xor(hash, seed, db);
        Mgf1Xor(hash, db, seed);
    }

    /// <summary>Removes EME-PKCS1-v1_5 or EME-OAEP from <paramref name="em"/>: the message's offset and length, or false.</summary>
    public static bool TryDecodeEncryption(Span<byte> em, RSAEncryptionPadding padding, out int offset, out int length)
    {
        int k = em.Length;
        int good;
        int separator = 0;
        if (padding.Mode == RSAEncryptionPaddingMode.Pkcs1)
        {
            good = IsZero(em[0]) & Equal(em[1], 2);
            int looking = 1;
            for (int i = 2; i < k; i++)
            {
                int zero = IsZero(em[i]);
                separator = Select(looking & zero, i, separator);
                looking &= ~zero & 1;
            }
            good &= (looking ^ 1) & GreaterOrEqual(separator, 10);
            offset = separator + 1;
        }
        else
        {
            var hash = padding.OaepHashAlgorithm;
            int hLen = HashLength(hash);
            if (k < 2 * hLen + 2)
            {
                offset = length = 0;
                return false;
            }
            var seed = em.Slice(1, hLen);
            var db = em[(1 + hLen)..];
            Mgf1Xor(hash, db, seed);
            Mgf1Xor(hash, seed, db);
            Span<byte> lHash = stackalloc byte[hLen];
            CryptographicOperations.HashData(hash, [], lHash);
            good = IsZero(em[0]) & (CryptographicOperations.FixedTimeEquals(lHash, db[..hLen]) ? 1 : 0);
            int looking = 1;
            int invalid = 0;
            for (int i = hLen; i < db.Length; i++)
            {
                int zero = IsZero(db[i]);
                int one = Equal(db[i], 1);
                separator = Select(looking & one, i, separator);
                invalid |= looking & ~zero & ~one & 1;
                looking &= ~one & 1;
            }
            good &= (looking ^ 1) & (invalid ^ 1);
            offset = 1 + hLen + separator + 1;
        }
        length = k - offset;
        if (good == 0)
        {
            offset = length = 0;
            return false;
        }
        return true;
    }

    /// <summary>EMSA-PKCS1-v1_5 of a hash into <paramref name="em"/> (k bytes).</summary>
    /// <exception cref="CryptographicException">The hash has the wrong length, or the key is too small.</exception>
    public static void EncodePkcs1Signature(ReadOnlySpan<byte> hash, HashAlgorithmName algorithm, Span<byte> em)
    {
        var prefix = DigestInfoPrefix(algorithm);
        if (hash.Length != HashLength(algorithm))
            throw new CryptographicException($"The hash is {hash.Length} bytes; {algorithm.Name} gives {HashLength(algorithm)}.");
        int tLen = prefix.Length + hash.Length;
        if (em.Length < tLen + 11)
            throw new CryptographicException("The RSA key is too small for a PKCS #1 signature with this hash.");
        em[0] = 0;
        em[1] = 1;
        em[2..(em.Length - tLen - 1)].Fill(0xff);
        em[em.Length - tLen - 1] = 0;
        prefix.CopyTo(em[(em.Length - tLen)..]);
        hash.CopyTo(em[(em.Length - hash.Length)..]);
    }

    /// <summary>PKCS #1 v1.5 block type 1 around raw data (no DigestInfo), as TLS before 1.2 signs MD5‖SHA-1.</summary>
    /// <exception cref="CryptographicException">The key is too small.</exception>
    public static void EncodePkcs1Raw(ReadOnlySpan<byte> data, Span<byte> em)
    {
        if (em.Length < data.Length + 11)
            throw new CryptographicException("The RSA key is too small for this PKCS #1 block.");
        em[0] = 0;
        em[1] = 1;
        em[2..(em.Length - data.Length - 1)].Fill(0xff);
        em[em.Length - data.Length - 1] = 0;
        data.CopyTo(em[(em.Length - data.Length)..]);
    }

    /// <summary>EMSA-PSS (salt length = hash length) of a hash, right-aligned into <paramref name="output"/> (k bytes).</summary>
    /// <exception cref="CryptographicException">The hash has the wrong length, or the key is too small.</exception>
    public static void EncodePss(ReadOnlySpan<byte> mHash, HashAlgorithmName algorithm, int modulusBits, Span<byte> output)
    {
        int hLen = HashLength(algorithm);
        if (mHash.Length != hLen)
            throw new CryptographicException($"The hash is {mHash.Length} bytes; {algorithm.Name} gives {hLen}.");
        int emBits = modulusBits - 1;
        int emLen = (emBits + 7) / 8;
        int sLen = hLen;
        if (emLen < hLen + sLen + 2)
            throw new CryptographicException("The RSA key is too small for a PSS signature with this hash.");
        output[..(output.Length - emLen)].Clear();
        var em = output[(output.Length - emLen)..];
        var db = em[..(emLen - hLen - 1)];
        var h = em.Slice(emLen - hLen - 1, hLen);
        Span<byte> salt = stackalloc byte[sLen];
        RandomNumberGenerator.Fill(salt);
        PssHash(algorithm, mHash, salt, h);
        db.Clear();
        db[db.Length - sLen - 1] = 1;
        salt.CopyTo(db[(db.Length - sLen)..]);
        Mgf1Xor(algorithm, h, db);
        db[0] &= (byte)(0xff >> (8 * emLen - emBits));
        em[^1] = 0xbc;
    }

    /// <summary>Checks a recovered EMSA-PSS block (k bytes, right-aligned) against a hash.</summary>
    public static bool VerifyPss(ReadOnlySpan<byte> mHash, HashAlgorithmName algorithm, int modulusBits, Span<byte> block)
    {
        int hLen = HashLength(algorithm);
        int emBits = modulusBits - 1;
        int emLen = (emBits + 7) / 8;
        int sLen = hLen;
        if (mHash.Length != hLen || emLen < hLen + sLen + 2 || block[..(block.Length - emLen)].IndexOfAnyExcept((byte)0) >= 0)
            return false;
        var em = block[(block.Length - emLen)..];
        if (em[^1] != 0xbc)
            return false;
        var db = em[..(emLen - hLen - 1)];
        var h = em.Slice(emLen - hLen - 1, hLen);
        byte topMask = (byte)(0xff << (8 - (8 * emLen - emBits)));
        if ((8 * emLen - emBits) > 0 && (db[0] & topMask) != 0)
            return false;
        Mgf1Xor(algorithm, h, db);
        db[0] &= (byte)(0xff >> (8 * emLen - emBits));
        int psLength = db.Length - sLen - 1;
        if (db[..psLength].IndexOfAnyExcept((byte)0) >= 0 || db[psLength] != 1)
            return false;
        Span<byte> expected = stackalloc byte[hLen];
        PssHash(algorithm, mHash, db[(db.Length - sLen)..], expected);
        return expected.SequenceEqual(h);
    }

    private static void PssHash(HashAlgorithmName algorithm, ReadOnlySpan<byte> mHash, ReadOnlySpan<byte> salt, Span<byte> destination)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        hash.AppendData(stackalloc byte[8]);
        hash.AppendData(mHash);
        hash.AppendData(salt);
        hash.GetHashAndReset(destination);
    }

    /// <summary>XORs MGF1(<paramref name="seed"/>) into <paramref name="target"/>.</summary>
    private static void Mgf1Xor(HashAlgorithmName algorithm, ReadOnlySpan<byte> seed, Span<byte> target)
    {
        int hLen = HashLength(algorithm);
        Span<byte> block = stackalloc byte[hLen];
        Span<byte> counter = stackalloc byte[4];
        using var hash = IncrementalHash.CreateHash(algorithm);
        for (int done = 0, c = 0; done < target.Length; c++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(counter, c);
            hash.AppendData(seed);
            hash.AppendData(counter);
            hash.GetHashAndReset(block);
            int n = Math.Min(hLen, target.Length - done);
            for (int i = 0; i < n; i++)
                target[done + i] ^= block[i];
            done += n;
        }
    }

    private static void RandomNonZero(Span<byte> destination)
    {
        RandomNumberGenerator.Fill(destination);
        Span<byte> one = stackalloc byte[1];
        for (int i = 0; i < destination.Length; i++)
        {
            while (destination[i] == 0)
            {
                RandomNumberGenerator.Fill(one);
                destination[i] = one[0];
            }
        }
    }

    // Branch-free helpers: 1 or 0.
    private static int IsZero(byte b) => (int)(((uint)b - 1) >> 31);

    private static int Equal(byte a, byte b) => IsZero((byte)(a ^ b));

    private static int GreaterOrEqual(int a, int b) => (int)(((uint)(a - b) >> 31) ^ 1);

    private static int Select(int condition, int ifTrue, int ifFalse) => (-condition & ifTrue) | (~-condition & ifFalse);
}
