using System.Security.Cryptography;
using WarpDrive.Drivers.Qm;
using WarpDrive.Queues;
using WarpDrive.Scheduling;

namespace WarpDrive.Crypto.DataPath;

/// <summary>
/// Runs raw RSA operations as HPRE requests through an <see cref="AcceleratorPool"/>: one request per operation,
/// the key, input and output buffers fixed-width and big-endian (spec §6.3). Around the device it blinds private
/// operations and checks their results (<c>s^e mod n = m</c>), re-running a wrong answer once in software and
/// throwing when that is wrong too — so a faulty device answer never leaves the library.
/// </summary>
/// <remarks>
/// Key widths hardware HPRE takes (1024, 2048, 3072, 4096 bits) always go through the pool. Other widths go
/// through the pool too when only the in-process soft engine serves <c>rsa</c> (it takes any width); when a
/// hardware or kernel device is present they run in software on the calling thread instead of being sent to a
/// device that would reject them. Thread-safe.
/// </remarks>
internal sealed class RsaRunner
{
    /// <summary>What <see cref="RsaOperationStatistics.LastServedBy"/> says for in-thread software.</summary>
    public const string Software = "software";

    private readonly bool _onlySoftware;

    public RsaRunner(AcceleratorPool pool, RsaOperationStatistics statistics)
    {
        Pool = pool;
        Statistics = statistics;
        _onlySoftware = pool.Serving(AcceleratorAlgorithm.Rsa).OnlyInProcess;
    }

    public AcceleratorPool Pool { get; }

    public RsaOperationStatistics Statistics { get; }

    /// <summary>The private operation on <paramref name="input"/> (key width, below the modulus) into <paramref name="output"/> (key width).</summary>
    public void Private(RsaKeyMaterial key, ReadOnlySpan<byte> input, Span<byte> output, bool blind)
    {
        var job = Prepare(key, input, isPrivate: true, blind);
        try
        {
            string servedBy = UseQueue(key) ? RunOnQueue(job) : RunInSoftware(job);
            Complete(job, output, servedBy);
        }
        finally
        {
            job.Clear();
        }
    }

    /// <summary>The public operation; <paramref name="check"/> recomputes the result in software (for output that leaves the library).</summary>
    public void Public(RsaKeyMaterial key, ReadOnlySpan<byte> input, Span<byte> output, bool check)
    {
        var job = Prepare(key, input, isPrivate: false, blind: false);
        job.CheckPublic = check;
        string servedBy = UseQueue(key) ? RunOnQueue(job) : RunInSoftware(job);
        Complete(job, output, servedBy);
    }

    /// <summary>The private operation, waiting for the device asynchronously.</summary>
    public async ValueTask PrivateAsync(RsaKeyMaterial key, ReadOnlyMemory<byte> input, Memory<byte> output, bool blind, CancellationToken cancellationToken)
    {
        var job = Prepare(key, input.Span, isPrivate: true, blind);
        try
        {
            string servedBy = UseQueue(key) ? await RunOnQueueAsync(job, cancellationToken).ConfigureAwait(false) : RunInSoftware(job);
            Complete(job, output.Span, servedBy);
        }
        finally
        {
            job.Clear();
        }
    }

    /// <summary>The public operation, waiting for the device asynchronously.</summary>
    public async ValueTask PublicAsync(RsaKeyMaterial key, ReadOnlyMemory<byte> input, Memory<byte> output, bool check, CancellationToken cancellationToken)
    {
        var job = Prepare(key, input.Span, isPrivate: false, blind: false);
        job.CheckPublic = check;
        string servedBy = UseQueue(key) ? await RunOnQueueAsync(job, cancellationToken).ConfigureAwait(false) : RunInSoftware(job);
        Complete(job, output.Span, servedBy);
    }

    private bool UseQueue(RsaKeyMaterial key) => key.IsDeviceSize || _onlySoftware;

    private static Job Prepare(RsaKeyMaterial key, ReadOnlySpan<byte> input, bool isPrivate, bool blind)
    {
        if (input.Length != key.Width)
            throw new CryptographicException($"RSA input must be {key.Width} bytes (was {input.Length}).");
        if (RsaMath.Compare(input, key.Modulus) >= 0)
            throw new CryptographicException("The RSA input is not smaller than the modulus.");
        byte[]? keyBuffer = isPrivate ? key.PrivateKey : key.PublicKey;
        if (keyBuffer is null)
            throw new CryptographicException(isPrivate ? "The RSA key has no private part." : "The RSA key has no public exponent.");
        var job = new Job(key, keyBuffer, isPrivate ? key.PrivateAlgorithm : HpreAlgorithm.RsaNonCrt, isPrivate);
        if (blind && isPrivate && key.Blinding is { } blinding)
        {
            Span<byte> a = stackalloc byte[key.Width];
            job.Unblind = new byte[key.Width];
            blinding.Next(a, job.Unblind);
            blinding.Apply(input, a, job.Input);
            CryptographicOperations.ZeroMemory(a);
        }
        else
        {
            input.CopyTo(job.Input);
        }
        return job;
    }

    private static AcceleratorRequest CreateRequest(Job job, byte[] output)
    {
        var request = new AcceleratorRequest(AcceleratorAlgorithm.Rsa);
        _ = new HpreSqe(request.Sqe) { Algorithm = job.Algorithm, KeyBytes = job.Key.Width, Done = 1 };
        request.AttachBuffer(HpreSqe.KeyAddressOffset, job.KeyBuffer, BufferAccess.Read);
        request.AttachBuffer(HpreSqe.InputAddressOffset, job.Input, BufferAccess.Read);
        request.AttachBuffer(HpreSqe.OutputAddressOffset, output, BufferAccess.Write);
        return request;
    }

    private string RunOnQueue(Job job)
    {
        var request = CreateRequest(job, job.Output);
        Pool.Run(request);
        return Served(request);
    }

    private async ValueTask<string> RunOnQueueAsync(Job job, CancellationToken cancellationToken)
    {
        var request = CreateRequest(job, job.Output);
        await Pool.RunAsync(request, cancellationToken).ConfigureAwait(false);
        return Served(request);
    }

    private static string Served(AcceleratorRequest request)
    {
        if (!request.Succeeded)
        {
            // The pool already re-ran a device error in software: this key and input are what was rejected.
            throw new CryptographicException($"The RSA operation was rejected (HPRE etype {new HpreSqe(request.Sqe).ErrorType}): the key's parameters are not consistent.");
        }
        return request.ServedBy ?? Software;
    }

    private string RunInSoftware(Job job)
    {
        if (!Compute(job, job.Output))
            throw new CryptographicException("The RSA operation was rejected: the key's parameters are not consistent.");
        return Software;
    }

    /// <summary>
    /// The same request, run in line on the pool's in-process engine (this thread, no queue) into
    /// <paramref name="output"/>: software that did not produce the result being checked.
    /// </summary>
    private bool Compute(Job job, byte[] output)
    {
        var request = CreateRequest(job, output);
#pragma warning disable CA2012 // RunInline completes the request before it returns.
        Pool.RunInline(request).GetAwaiter().GetResult();
#pragma warning restore CA2012
        return request.Succeeded;
    }

    /// <summary>Checks the result, re-runs a wrong one once in software, unblinds, counts.</summary>
    private void Complete(Job job, Span<byte> output, string servedBy)
    {
        var key = job.Key;
        if (job.IsPrivate && key.PublicKey is not null)
        {
            if (!Verifies(job))
            {
                Statistics.Fault();
                servedBy = Software;
                if (!Compute(job, job.Output) || !Verifies(job))
                    throw new CryptographicException("The RSA private operation gave a result that does not verify, on the device and again in software: the key's CRT parameters are inconsistent.");
            }
        }
        else if (job.IsPrivate)
        {
            // No public exponent to verify with (none of the usual ones fits the key): a second computation, in
            // software, must agree; where it does not, a third decides.
            var again = new byte[key.Width];
            if (!Compute(job, again))
                throw new CryptographicException("The RSA private operation was rejected.");
            if (!again.SequenceEqual(job.Output))
            {
                Statistics.Fault();
                servedBy = Software;
                var third = new byte[key.Width];
                if (!Compute(job, third) || !third.AsSpan().SequenceEqual(again))
                    throw new CryptographicException("The RSA private operation gave different results in software: the key is unusable.");
                again.CopyTo(job.Output);
            }
        }
        else if (!job.IsPrivate && job.CheckPublic)
        {
            var expected = new byte[key.Width];
            if (!Compute(job, expected))
                throw new CryptographicException("The RSA public operation was rejected.");
            if (!expected.SequenceEqual(job.Output))
            {
                Statistics.Fault();
                servedBy = Software;
                expected.CopyTo(job.Output);
            }
        }
        if (job.Unblind is { } ai)
            key.Blinding!.Apply(job.Output, ai, output);
        else
            job.Output.CopyTo(output);
        Statistics.Count(job.IsPrivate, servedBy);
    }

    /// <summary>True when <c>output^e mod n</c> equals the input the device was given.</summary>
    private static bool Verifies(Job job)
    {
        var key = job.Key;
        Span<byte> back = stackalloc byte[key.Width];
        return key.Context.TryModExp(job.Output, key.PublicExponent!, back, secretExponent: false) && back.SequenceEqual(job.Input);
    }

    /// <summary>One operation's buffers, which the device reads and writes.</summary>
    private sealed class Job(RsaKeyMaterial key, byte[] keyBuffer, HpreAlgorithm algorithm, bool isPrivate)
    {
        public RsaKeyMaterial Key { get; } = key;
        public byte[] KeyBuffer { get; } = keyBuffer;
        public HpreAlgorithm Algorithm { get; } = algorithm;
        public bool IsPrivate { get; } = isPrivate;
        public byte[] Input { get; } = new byte[key.Width];
        public byte[] Output { get; } = new byte[key.Width];
        public byte[]? Unblind { get; set; }
        public bool CheckPublic { get; set; }

        public void Clear()
        {
            CryptographicOperations.ZeroMemory(Input);
            CryptographicOperations.ZeroMemory(Output);
            if (Unblind is not null)
                CryptographicOperations.ZeroMemory(Unblind);
        }
    }
}
