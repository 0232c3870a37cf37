// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hisi_zip (soft engine): one ZIP SQE through the kernel's zlib.
 *
 * What it does is what WarpDrive's in-process engine does (ZipExecutor),
 * so a user driver sees the same answers from either:
 *  - compress queues (qc_type 0) produce the raw deflate body and, on finish
 *    (dw7 bit 25), the zlib (Adler-32, big endian) or gzip (CRC-32, ISIZE)
 *    trailer; the user writes the header.  Without finish a request ends on
 *    a sync flush, so requests concatenate into one stream;
 *  - decompress queues (qc_type 1) read a raw deflate body (the user skips
 *    the header and checks the trailer) and report the running checksum
 *    (dw31) and size (dw30) of what they produced;
 *  - stateless requests start and end a stream each; in stream mode (dw7
 *    bit 26, new stream bit 27) the zlib state lives here, named by the
 *    stream context address (dw22/23), and the checksum and size carry over
 *    in dw31/dw30 as the user hands them back;
 *  - soft-engine extensions, as WarpDrive's: dw10 level (1-9, 0x10 = 0),
 *    dw12 dictionary prefix length (consumed, not compressed: the kernel's
 *    zlib cannot prime a dictionary, so no match reaches into it, which
 *    only costs ratio).
 * Every field is checked before use; a bad one is a status, never more.
 * The SQE is read once into a local copy: user space may change the slot.
 */

#include <linux/crc32.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/zutil.h>
#include <asm/unaligned.h>

#include "hisi_zip.h"

#define HZIP_CTX_MAGIC		0x43535a48	/* "HZSC" in the context buffer */
#define HZIP_CTX_BYTES		16
#define HZIP_DEFAULT_LEVEL	6
#define HZIP_STORED_LEVEL	0x10
#define HZIP_MEM_LEVEL		8

/**
 * struct hzip_req - one SQE, decoded
 * @w: the SQE as read, results written into it and then back to the slot
 * @type: request type
 * @src, @dst, @ctx: addresses
 * @in_len, @out_cap: lengths
 * @finish, @stream, @new_stream: dw7 flags
 * @wbits: compression window bits from dw9 bits 15:12
 * @level: compression level
 * @csum, @isize: running checksum and size
 * @consumed, @produced: results
 */
struct hzip_req {
	u32 w[HZIP_SQE_SIZE / 4];
	u8 type;
	u64 src, dst, ctx;
	u32 in_len, out_cap;
	bool finish, stream, new_stream;
	int wbits;
	int level;
	u32 csum, isize;
	u32 consumed, produced;
};

enum hzip_pump_end {
	HZIP_END_STREAM,	/* zlib reached the end of the stream */
	HZIP_END_FLUSHED,	/* compression: all input in, flushed */
	HZIP_END_NEED_INPUT,	/* decompression: input used up, no end yet */
	HZIP_END_OUT_FULL,	/* output buffer full, more to come */
	HZIP_END_DATA_ERR,	/* corrupt input */
	HZIP_END_FAULT,		/* a buffer could not be read or written */
	HZIP_END_ABORT,		/* the queue stopped meanwhile */
	HZIP_END_ENGINE,	/* zlib said something it never should */
};

static u64 hzip_qw(const u32 *w, int n)
{
	return w[n] | (u64)w[n + 1] << 32;
}

static u32 hzip_csum(u8 type, u32 csum, const void *p, size_t n)
{
	if (!n)
		return csum;
	if (type == HZIP_TYPE_ZLIB)
		return zlib_adler32(csum, p, n);
	/* gzip's CRC-32 (and the same for raw deflate, as WarpDrive's engine) */
	return ~crc32_le(~csum, p, n);
}

static int hzip_errno_end(int err)
{
	return err == -EINTR ? HZIP_END_ABORT : HZIP_END_FAULT;
}

/*
 * Run zlib over the request's input into its output (at most @out_cap
 * bytes), through the bounce buffers.  Compression uses @flush_last with the
 * last input; decompression always Z_SYNC_FLUSH.
 */
static enum hzip_pump_end hzip_pump(struct hzip_qp *qp, struct hzip_mem *m,
				    struct hzip_req *r, z_stream *zs,
				    bool inflate, u64 src, u32 in_len,
				    u32 out_cap, int flush_last)
{
	u32 loaded = 0, room, used, got;
	int flush, ret, err;

	zs->next_in = qp->in_buf;
	zs->avail_in = 0;
	for (;;) {
		if (!READ_ONCE(qp->started))
			return HZIP_END_ABORT;
		if (!zs->avail_in && loaded < in_len) {
			u32 n = min(HZIP_CHUNK, in_len - loaded);

			err = hzip_mem_read(m, src + loaded, qp->in_buf, n);
			if (err)
				return hzip_errno_end(err);
			zs->next_in = qp->in_buf;
			zs->avail_in = n;
			loaded += n;
		}
		if (inflate)
			flush = Z_SYNC_FLUSH;
		else
			flush = loaded == in_len ? flush_last : Z_NO_FLUSH;
		room = min(HZIP_CHUNK, out_cap - r->produced);
		zs->next_out = qp->out_buf;
		zs->avail_out = room;
		used = zs->avail_in;

		ret = inflate ? zlib_inflate(zs, flush) : zlib_deflate(zs, flush);

		used -= zs->avail_in;
		got = room - zs->avail_out;
		if (!inflate)
			r->csum = hzip_csum(r->type, r->csum, zs->next_in - used,
					    used);
		else
			r->csum = hzip_csum(r->type, r->csum, qp->out_buf, got);
		r->isize += inflate ? got : used;
		r->consumed += used;
		if (got) {
			err = hzip_mem_write(m, r->dst + r->produced,
					     qp->out_buf, got);
			if (err)
				return hzip_errno_end(err);
			r->produced += got;
		}

		if (ret == Z_STREAM_END)
			return HZIP_END_STREAM;
		if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT)
			return inflate ? HZIP_END_DATA_ERR : HZIP_END_ENGINE;
		if (ret != Z_OK && ret != Z_BUF_ERROR)
			return HZIP_END_ENGINE;

		if (!zs->avail_in && loaded == in_len) {
			/* all input in: a sync flush is done once output is left over */
			if (!inflate && flush == Z_SYNC_FLUSH && zs->avail_out)
				return HZIP_END_FLUSHED;
			if (!used && !got)
				return room ? (inflate ? HZIP_END_NEED_INPUT :
						HZIP_END_FLUSHED) :
					      HZIP_END_OUT_FULL;
		} else if (!used && !got) {
			/* input left and no progress: only a full output explains it */
			return room ? HZIP_END_ENGINE : HZIP_END_OUT_FULL;
		}
		cond_resched();
	}
}

static int hzip_level(u32 raw)
{
	if (raw == HZIP_STORED_LEVEL)
		return 0;
	return raw >= 1 && raw <= 9 ? raw : HZIP_DEFAULT_LEVEL;
}

static int hzip_zinit(z_stream *zs, bool inflate, int level, int wbits)
{
	/* raw deflate: negative window bits; headers are the user's */
	if (inflate)
		return zlib_inflateInit2(zs, -MAX_WBITS) == Z_OK ? 0 : -EINVAL;
	return zlib_deflateInit2(zs, level, Z_DEFLATED, -wbits, HZIP_MEM_LEVEL,
				 Z_DEFAULT_STRATEGY) == Z_OK ? 0 : -EINVAL;
}

static void *hzip_workspace(bool inflate)
{
	return vmalloc(inflate ? zlib_inflate_workspacesize() :
		       zlib_deflate_workspacesize(MAX_WBITS, HZIP_MEM_LEVEL));
}

/* Caller holds zdev->streams_lock. */
static void hzip_stream_free_locked(struct hzip_dev *zdev, struct hzip_stream *s)
{
	lockdep_assert_held(&zdev->streams_lock);
	list_del(&s->node);
	zdev->nr_streams--;
	vfree(s->zs.workspace);
	kfree(s);
}

/* The request on @s is done and so is the stream. */
static void hzip_stream_end(struct hzip_dev *zdev, struct hzip_stream *s)
{
	mutex_lock(&zdev->streams_lock);
	hzip_stream_free_locked(zdev, s);
	mutex_unlock(&zdev->streams_lock);
}

/* The request on @s is done; the stream goes on. */
static void hzip_stream_put(struct hzip_dev *zdev, struct hzip_stream *s)
{
	mutex_lock(&zdev->streams_lock);
	s->busy = false;
	mutex_unlock(&zdev->streams_lock);
}

/* Frees the streams of @mm (NULL: all); none may be busy. */
void hzip_streams_free(struct hzip_dev *zdev, struct mm_struct *mm)
{
	struct hzip_stream *s, *tmp;

	mutex_lock(&zdev->streams_lock);
	list_for_each_entry_safe(s, tmp, &zdev->streams, node)
		if (!mm || s->mm == mm)
			hzip_stream_free_locked(zdev, s);
	mutex_unlock(&zdev->streams_lock);
}

/* Frees the queue's own engine memory.  The queue is stopped, the work idle. */
void hzip_engine_free(struct hzip_qp *qp)
{
	vfree(qp->dz.workspace);
	vfree(qp->iz.workspace);
	kvfree(qp->in_buf);
	kvfree(qp->out_buf);
	qp->dz.workspace = NULL;
	qp->iz.workspace = NULL;
	qp->in_buf = NULL;
	qp->out_buf = NULL;
}

/*
 * The stream a stream-mode request continues (named by the cookie in its
 * context buffer) or starts, marked busy; or NULL with *status set.  New
 * streams evict the least recently used idle one beyond max_streams per
 * queue; its next request reports "stream lost".
 */
static struct hzip_stream *hzip_stream_get(struct hzip_qp *qp,
					   struct hzip_mem *m,
					   struct hzip_req *r, bool inflate,
					   u8 *status)
{
	struct hzip_dev *zdev = qp->zdev;
	struct mm_struct *mm = qp->q->mm;
	struct hzip_stream *s = NULL, *it;
	__le32 hdr[HZIP_CTX_BYTES / 4];
	u64 cookie;
	int err;

	if (!r->new_stream) {
		err = hzip_mem_read(m, r->ctx, hdr, sizeof(hdr));
		if (err) {
			*status = HZIP_ST_ADDR_FAULT;
			return NULL;
		}
		cookie = get_unaligned_le64(&hdr[2]);
		mutex_lock(&zdev->streams_lock);
		list_for_each_entry(it, &zdev->streams, node) {
			if (it->cookie == cookie && it->mm == mm) {
				s = it;
				break;
			}
		}
		if (!s || s->busy || s->inflate != inflate ||
		    le32_to_cpu(hdr[0]) != HZIP_CTX_MAGIC) {
			mutex_unlock(&zdev->streams_lock);
			*status = HZIP_ST_STREAM_LOST;
			return NULL;
		}
		s->busy = true;
		list_move(&s->node, &zdev->streams);
		mutex_unlock(&zdev->streams_lock);
		return s;
	}

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (s)
		s->zs.workspace = hzip_workspace(inflate);
	if (!s || !s->zs.workspace || hzip_zinit(&s->zs, inflate, r->level,
						 r->wbits)) {
		if (s)
			vfree(s->zs.workspace);
		kfree(s);
		*status = HZIP_ST_ENGINE_FAULT;
		return NULL;
	}
	s->mm = mm;
	s->inflate = inflate;
	s->busy = true;
	s->cookie = atomic64_inc_return(&zdev->next_cookie);
	mutex_lock(&zdev->streams_lock);
	if (zdev->nr_streams >= hzip_max_streams * zdev->nr_qps) {
		list_for_each_entry_reverse(it, &zdev->streams, node) {
			if (!it->busy) {
				hzip_stream_free_locked(zdev, it);
				break;
			}
		}
	}
	list_add(&s->node, &zdev->streams);
	zdev->nr_streams++;
	mutex_unlock(&zdev->streams_lock);

	hdr[0] = cpu_to_le32(HZIP_CTX_MAGIC);
	hdr[1] = 0;
	put_unaligned_le64(s->cookie, &hdr[2]);
	err = hzip_mem_write(m, r->ctx, hdr, sizeof(hdr));
	if (err) {
		hzip_stream_end(zdev, s);
		*status = HZIP_ST_ADDR_FAULT;
		return NULL;
	}
	return s;
}

/* The stateless stream of @qp for this direction, initialised, or NULL. */
static z_stream *hzip_stateless(struct hzip_qp *qp, struct hzip_req *r,
				bool inflate)
{
	z_stream *zs = inflate ? &qp->iz : &qp->dz;

	if (!zs->workspace)
		zs->workspace = hzip_workspace(inflate);
	if (!zs->workspace || hzip_zinit(zs, inflate, r->level, r->wbits))
		return NULL;
	return zs;
}

/* Compression.  Returns the status. */
static u8 hzip_compress(struct hzip_qp *qp, struct hzip_mem *m,
			struct hzip_req *r)
{
	u32 trailer = 0, dict = 0, in_len = r->in_len;
	struct hzip_stream *s = NULL;
	enum hzip_pump_end end;
	u8 status = HZIP_ST_OK;
	__le32 t[2];
	z_stream *zs;
	int err;

	if (r->finish && r->type == HZIP_TYPE_ZLIB)
		trailer = 4;
	else if (r->finish && r->type == HZIP_TYPE_GZIP)
		trailer = 8;
	if (r->out_cap < trailer)
		return HZIP_ST_OUT_SMALL;
	if (!r->stream) {
		dict = r->w[12];
		if (dict > in_len)
			return HZIP_ST_BAD_PARAM;
		zs = hzip_stateless(qp, r, false);
		if (!zs)
			return HZIP_ST_ENGINE_FAULT;
	} else {
		s = hzip_stream_get(qp, m, r, false, &status);
		if (!s)
			return status;
		zs = &s->zs;
	}

	end = hzip_pump(qp, m, r, zs, false, r->src + dict, in_len - dict,
			r->out_cap - trailer, r->finish ? Z_FINISH : Z_SYNC_FLUSH);
	r->consumed += dict;
	r->w[15] &= ~0xfU;
	switch (end) {
	case HZIP_END_STREAM:
		if (r->type == HZIP_TYPE_ZLIB) {
			t[0] = cpu_to_be32(r->csum);
		} else {
			t[0] = cpu_to_le32(r->csum);
			t[1] = cpu_to_le32(r->isize);
		}
		err = hzip_mem_write(m, r->dst + r->produced, t, trailer);
		if (err) {
			status = err == -EINTR ? 0xff : HZIP_ST_ADDR_FAULT;
			break;
		}
		r->produced += trailer;
		r->w[3] |= HZIP_LAST_BLOCK;
		if (s) {
			hzip_stream_end(qp->zdev, s);
			s = NULL;
		}
		fallthrough;
	case HZIP_END_FLUSHED:
		status = r->produced > r->consumed && r->consumed ?
			HZIP_ST_NEGATIVE : HZIP_ST_OK;
		break;
	case HZIP_END_OUT_FULL:
		/* stream mode resumes: ctx_st 1 finish pending, 2 more output */
		r->w[15] |= r->finish ? 1 : 2;
		if (s) {
			hzip_stream_put(qp->zdev, s);
			return HZIP_ST_OK;
		}
		return HZIP_ST_OUT_SMALL;
	case HZIP_END_FAULT:
		status = HZIP_ST_ADDR_FAULT;
		break;
	case HZIP_END_ABORT:
		status = 0xff;
		break;
	default:
		status = HZIP_ST_ENGINE_FAULT;
		break;
	}
	/* a stream that ended well was freed above; one that failed ends here */
	if (s && (status == HZIP_ST_OK || status == HZIP_ST_NEGATIVE))
		hzip_stream_put(qp->zdev, s);
	else if (s)
		hzip_stream_end(qp->zdev, s);
	return status;
}

/* Decompression.  Returns the status. */
static u8 hzip_decompress(struct hzip_qp *qp, struct hzip_mem *m,
			  struct hzip_req *r)
{
	struct hzip_stream *s = NULL;
	enum hzip_pump_end end;
	u8 status = HZIP_ST_OK;
	z_stream *zs;

	if (!r->stream) {
		zs = hzip_stateless(qp, r, true);
		if (!zs)
			return HZIP_ST_ENGINE_FAULT;
	} else {
		s = hzip_stream_get(qp, m, r, true, &status);
		if (!s)
			return status;
		zs = &s->zs;
	}

	end = hzip_pump(qp, m, r, zs, true, r->src, r->in_len, r->out_cap,
			Z_SYNC_FLUSH);
	r->w[15] &= ~0xfU;
	switch (end) {
	case HZIP_END_STREAM:
		r->w[3] |= HZIP_LAST_BLOCK;
		status = HZIP_ST_DECOMP_END;
		break;
	case HZIP_END_OUT_FULL:
		r->w[15] |= 2;	/* ctx_st 2: no output space while decompressing */
		if (s) {
			hzip_stream_put(qp->zdev, s);
			return HZIP_ST_OK;
		}
		return HZIP_ST_OUT_SMALL;
	case HZIP_END_NEED_INPUT:
		/* stateless input must hold the whole body */
		if (s) {
			hzip_stream_put(qp->zdev, s);
			return HZIP_ST_OK;
		}
		return HZIP_ST_CRC_ERR;
	case HZIP_END_DATA_ERR:
		status = HZIP_ST_CRC_ERR;
		break;
	case HZIP_END_ABORT:
		status = 0xff;
		break;
	case HZIP_END_FAULT:
		status = HZIP_ST_ADDR_FAULT;
		break;
	default:
		status = HZIP_ST_ENGINE_FAULT;
		break;
	}
	if (s)
		hzip_stream_end(qp->zdev, s);
	return status;
}

/* Decodes and checks what does not need the buffers.  Returns the status. */
static u8 hzip_decode(struct hzip_qp *qp, struct hzip_req *r)
{
	u32 sqe_type = r->w[7] >> 28, win = (r->w[9] >> 12) & 0xf;
	u32 buf_type = (r->w[9] >> 8) & 0xf;

	r->type = r->w[9] & 0xff;
	r->in_len = r->w[4];
	r->out_cap = r->w[14];
	r->src = hzip_qw(r->w, 18);
	r->dst = hzip_qw(r->w, 20);
	r->ctx = hzip_qw(r->w, 22);
	r->finish = r->w[7] & BIT(25);
	r->stream = r->w[7] & BIT(26);
	r->new_stream = (r->w[7] & BIT(27)) || !r->stream;
	r->level = hzip_level(r->w[10]);
	/* 4K, 8K, 16K, 24K (as 16K: zlib has powers of two), 32K */
	r->wbits = win == 4 ? 15 : win == 3 ? 14 : 12 + win;

	/* v1 (0) and v3 (3) layouts; flat buffers only; zlib's window sizes */
	if ((sqe_type != 0 && sqe_type != 3) || buf_type != 0 || win > 4)
		return HZIP_ST_BAD_PARAM;
	if (r->type != HZIP_TYPE_ZLIB && r->type != HZIP_TYPE_GZIP &&
	    (r->type != HZIP_TYPE_DEFLATE || hzip_api < 3))
		return HZIP_ST_BAD_PARAM;
	if (qp->qc_type > 1 || r->in_len > HZIP_MAX_BUF ||
	    r->out_cap > HZIP_MAX_BUF)
		return HZIP_ST_BAD_PARAM;

	if (r->new_stream) {
		r->csum = r->type == HZIP_TYPE_ZLIB ? 1 : 0;
		r->isize = 0;
	} else {
		r->csum = r->w[31];
		r->isize = r->w[30];
	}
	return HZIP_ST_OK;
}

static int hzip_buffers(struct hzip_qp *qp)
{
	if (!qp->in_buf)
		qp->in_buf = kvmalloc(HZIP_CHUNK, GFP_KERNEL);
	if (!qp->out_buf)
		qp->out_buf = kvmalloc(HZIP_CHUNK, GFP_KERNEL);
	return qp->in_buf && qp->out_buf ? 0 : -ENOMEM;
}

bool hzip_exec(struct hzip_qp *qp, __le32 *slot)
{
	struct hzip_req *r;
	struct hzip_mem m;
	u8 status;
	int i;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r) {
		/* no memory even for this: report it in the slot itself */
		WRITE_ONCE(slot[3], cpu_to_le32(HZIP_ST_ENGINE_FAULT));
		hzip_count_engine_fault(qp->zdev);
		return true;
	}
	for (i = 0; i < HZIP_SQE_SIZE / 4; i++)
		r->w[i] = le32_to_cpu(READ_ONCE(slot[i]));
	r->w[3] &= ~(0xffU | HZIP_LAST_BLOCK);

	status = hzip_decode(qp, r);
	if (status == HZIP_ST_OK && hzip_fault_every &&
	    (u32)atomic_inc_return(&qp->zdev->nr_requests) %
	    hzip_fault_every == 0)
		status = HZIP_ST_ENGINE_FAULT;	/* injected (fault_every) */
	if (status == HZIP_ST_OK && hzip_buffers(qp))
		status = HZIP_ST_ENGINE_FAULT;
	if (status == HZIP_ST_OK && hzip_mem_begin(&m, qp))
		status = HZIP_ST_ADDR_FAULT;
	if (status == HZIP_ST_OK) {
		if (!hzip_mem_range_ok(&m, r->src, r->in_len) ||
		    !hzip_mem_range_ok(&m, r->dst, r->out_cap) ||
		    (r->stream && !hzip_mem_range_ok(&m, r->ctx, HZIP_CTX_BYTES)))
			status = HZIP_ST_ADDR_FAULT;
		else if (qp->qc_type == 0)
			status = hzip_compress(qp, &m, r);
		else
			status = hzip_decompress(qp, &m, r);
		hzip_mem_end(&m);
	}
	if (status == 0xff) {
		/* stopped in the middle: no completion for a stopped queue */
		kfree(r);
		return false;
	}
	if (status == HZIP_ST_ENGINE_FAULT)
		hzip_count_engine_fault(qp->zdev);

	r->w[0] = r->consumed;
	r->w[1] = r->produced;
	r->w[3] |= status;
	r->w[30] = r->isize;
	r->w[31] = r->csum;
	/* the outputs only: the tag and everything else stay as the user left them */
	WRITE_ONCE(slot[0], cpu_to_le32(r->w[0]));
	WRITE_ONCE(slot[1], cpu_to_le32(r->w[1]));
	WRITE_ONCE(slot[3], cpu_to_le32(r->w[3]));
	WRITE_ONCE(slot[15], cpu_to_le32(r->w[15]));
	if (status != HZIP_ST_BAD_PARAM) {
		WRITE_ONCE(slot[30], cpu_to_le32(r->w[30]));
		WRITE_ONCE(slot[31], cpu_to_le32(r->w[31]));
	}
	kfree(r);
	return true;
}
