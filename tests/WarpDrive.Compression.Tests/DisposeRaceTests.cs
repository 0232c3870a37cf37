using System.Buffers;
using System.IO.Compression;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>
/// Dispose while a read or write is pending: the pending call ends in success with correct output or in
/// <see cref="ObjectDisposedException"/>, and no buffer goes back to a pool while the source can still fill it
/// (a canary in the next renter's array stays intact).
/// </summary>
public sealed class DisposeRaceTests
{
    private const int Iterations = 1000;
    private static readonly byte[] Input = Corpus.TextBytes(300_000);

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib")]
    [InlineData("deflate")]
    public async Task Dispose_during_a_pending_read_never_lends_out_the_buffer_the_source_still_fills(string format)
    {
        var compressed = Streams.Compress(format, Input, 6);
        for (int i = 0; i < Iterations; i++)
        {
            var source = new LateSource(compressed);
            var reader = Streams.WarpDriveReader(format, source);
            var destination = new byte[Input.Length];
            var pending = reader.ReadAsync(destination).AsTask();
            await source.ReadStarted.WaitAsync(TimeSpan.FromSeconds(10));
            if (i % 2 == 0)
                reader.Dispose();
            else
                await reader.DisposeAsync();
            // Whatever the reader held and gave back now goes to the next renter on this thread.
            var renter = ArrayPool<byte>.Shared.Rent(128 * 1024);
            renter.AsSpan().Fill(0xa5);
            source.Complete();
            try
            {
                int n = await pending.WaitAsync(TimeSpan.FromSeconds(10));
                Assert.True(Input.AsSpan(0, n).SequenceEqual(destination.AsSpan(0, n)));
            }
            catch (ObjectDisposedException)
            {
                // The other allowed outcome.
            }
            Assert.True(renter.AsSpan().IndexOfAnyExcept((byte)0xa5) < 0, $"iteration {i}: the source wrote into another renter's array");
            ArrayPool<byte>.Shared.Return(renter);
        }
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib")]
    [InlineData("deflate")]
    public async Task Dispose_during_a_pending_write_never_reports_success_over_corrupt_output(string format)
    {
        int succeeded = 0;
        for (int i = 0; i < Iterations; i++)
        {
            var destination = new LateSink();
            var writer = Streams.WarpDrive(format, destination, 1, new WarpDriveCompressionOptions { ChunkSize = 64 * 1024, IndependentBlockSize = 128 * 1024, MaxInFlight = 2 }, leaveOpen: true);
            var pending = writer.WriteAsync(Input).AsTask();
            // The destination opens on another thread at a varying moment: before, during or after the dispose.
            int spins = i % 7 * 2000;
            var opener = Task.Run(() =>
            {
                Thread.SpinWait(spins);
                destination.Open();
            });
            bool disposed;
            try
            {
                await writer.DisposeAsync();
                disposed = true;
            }
            catch (ObjectDisposedException)
            {
                disposed = false;
            }
            await opener;
            bool written;
            try
            {
                await pending.WaitAsync(TimeSpan.FromSeconds(10));
                written = true;
            }
            catch (ObjectDisposedException)
            {
                written = false;
            }
            if (written && disposed)
            {
                // Both calls say they succeeded: then the output is the whole input, exactly.
                succeeded++;
                Assert.True(Input.AsSpan().SequenceEqual(Streams.DecompressWithDotNet(format, destination.ToArray())), $"iteration {i}");
            }
        }
        Assert.True(succeeded < Iterations, "no dispose ever met a pending write");
    }

    /// <summary>A source whose reads wait until <see cref="Complete"/>, then copy into the caller's buffer.</summary>
    private sealed class LateSource(byte[] data) : Stream
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _go = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _at;

        public Task ReadStarted => _started.Task;

        public void Complete() => _go.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _started.TrySetResult();
            await _go.Task.ConfigureAwait(false);
            int n = Math.Min(buffer.Length, data.Length - _at);
            data.AsSpan(_at, n).CopyTo(buffer.Span);
            _at += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A destination whose writes wait until <see cref="Open"/>.</summary>
    private sealed class LateSink : Stream
    {
        private readonly MemoryStream _data = new();
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public void Open() => _open.TrySetResult();

        public byte[] ToArray() => _data.ToArray();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _open.Task.ConfigureAwait(false);
            lock (_data)
                _data.Write(buffer.Span);
        }

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
