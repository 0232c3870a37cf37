using System.Buffers;

namespace WarpDrive.Compression.Pipelines;

/// <summary>
/// What a compressing pipe writer's caller has written since the last flush: pooled segments, filled through
/// <see cref="GetMemory"/>/<see cref="Advance"/> and taken, oldest first, by the compressor when the caller flushes.
/// </summary>
internal sealed class UnflushedBytes(int segmentSize)
{
    private readonly Queue<Segment> _segments = new();
    private Segment? _tail;

    /// <summary>Bytes written and not yet taken.</summary>
    public long Length { get; private set; }

    public Memory<byte> GetMemory(int sizeHint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        int wanted = Math.Max(sizeHint, 1);
        if (_tail is null || _tail.Array.Length - _tail.End < wanted)
        {
            _tail = new Segment(ArrayPool<byte>.Shared.Rent(Math.Max(wanted, segmentSize)));
            _segments.Enqueue(_tail);
        }
        return _tail.Array.AsMemory(_tail.End);
    }

    public void Advance(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes == 0)
            return;
        if (_tail is null || bytes > _tail.Array.Length - _tail.End)
            throw new InvalidOperationException("Advanced past the memory the writer handed out.");
        _tail.End += bytes;
        Length += bytes;
    }

    /// <summary>The oldest bytes not yet taken; false when there are none.</summary>
    public bool TryPeek(out ReadOnlyMemory<byte> bytes)
    {
        while (_segments.TryPeek(out var head))
        {
            if (head.Start < head.End)
            {
                bytes = head.Array.AsMemory(head.Start, head.End - head.Start);
                return true;
            }
            if (head == _tail)
                break;
            ArrayPool<byte>.Shared.Return(_segments.Dequeue().Array);
        }
        bytes = default;
        return false;
    }

    /// <summary>Marks the first <paramref name="bytes"/> of what <see cref="TryPeek"/> gave as taken.</summary>
    public void Take(int bytes)
    {
        var head = _segments.Peek();
        head.Start += bytes;
        Length -= bytes;
        if (head.Start == head.End && head == _tail)
            head.Start = head.End = 0; // the emptied tail is filled again from its start
    }

    /// <summary>Drops everything and returns the segments to their pool.</summary>
    public void Clear()
    {
        while (_segments.TryDequeue(out var segment))
            ArrayPool<byte>.Shared.Return(segment.Array);
        _tail = null;
        Length = 0;
    }

    private sealed class Segment(byte[] array)
    {
        public byte[] Array { get; } = array;
        public int Start { get; set; }
        public int End { get; set; }
    }
}
