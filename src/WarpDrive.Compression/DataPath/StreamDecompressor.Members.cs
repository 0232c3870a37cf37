using System.Buffers;
using System.Buffers.Binary;
using WarpDrive.Drivers.Qm;

namespace WarpDrive.Compression.DataPath;

/// <summary>
/// Multi-member gzip whose members carry the <c>'W','D'</c> index (<see cref="WarpDriveCompressionOptions.GzipMultiMember"/>):
/// each member is read whole and sent as one stateless request. The index is a hint: a member whose request
/// fails or whose CRC-32 (computed here) disagrees is read again serially, with the members after it.
/// </summary>
internal sealed partial class StreamDecompressor
{
    /// <summary>Reads a whole indexed member and sends it as one stateless decompress request.</summary>
    private async ValueTask ReadIndexedMemberAsync(Framing.GzipHeader header, CancellationToken cancellationToken)
    {
        int length = (int)header.IndexedMemberLength - header.Length;
        var job = TakeJob(block: false);
        job.Input = ArrayPool<byte>.Shared.Rent(length);
        int have = 0;
        // Through the input buffer rather than straight into the job: a read that runs past the member leaves the
        // next header buffered, so Step can tell a source that has more (read on, more members in flight) from one
        // that has paused at a member boundary (serve what is decoded before blocking on it).
        while (have < length)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
                break;
            int take = Math.Min(length - have, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(job.Input.AsSpan(have));
            _start += take;
            have += take;
        }
        var trailer = job.Input.AsSpan(Math.Max(0, have - Framing.GzipTrailerLength), Math.Min(have, Framing.GzipTrailerLength));
        if (have < length || BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) != header.IndexedUncompressedLength)
        {
            // Cut short, or an index that disagrees with the member: the streaming inflater reads the bytes as
            // they are, and reports a truncation as it should.
            Unread(job.Input.AsMemory(0, have));
            Recycle(job);
            return;
        }
        job.ExpectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        job.SourceLength = length;
        job.BodyLength = length - Framing.GzipTrailerLength;
        job.OutputLength = (int)header.IndexedUncompressedLength;
        job.Output = ArrayPool<byte>.Shared.Rent(Math.Max(1, job.OutputLength));
        Send(job, cancellationToken);
        job.Budget = length + job.OutputLength;
        _state = State.Header;
    }

    /// <summary>True when a member's request decoded exactly its body to the size and CRC-32 its trailer gives.</summary>
    private static bool MemberDecoded(DecodeJob job)
    {
        var sqe = new ZipSqe(job.Request.Sqe);
        return sqe.Status == ZipStatus.DecompressEnd && sqe.Produced == (uint)job.OutputLength
            && sqe.Consumed == (uint)job.BodyLength && job.OutputCrc == job.ExpectedCrc;
    }

    /// <summary>
    /// A member that did not decode as its index said: it and every member queued after it go back in front of
    /// the input (each after a plain header) to be read serially, which decodes valid data and names corrupt data.
    /// </summary>
    private async ValueTask ReadMembersSeriallyAsync(DecodeJob failed)
    {
        var header = new byte[Framing.PlainGzipHeaderLength];
        Framing.WritePlainGzipHeader(header, level: 6);
        await UnreadQueuedAsync(failed, header).ConfigureAwait(false);
        StartBody();
    }
}
