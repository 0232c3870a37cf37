// SPDX-License-Identifier: GPL-2.0
/*
 * hisi_zip (soft engine) selftests, run as root in the guest with
 * wd_uacce.ko and hisi_zip.ko (uacce_mode=1) loaded.  The device is driven
 * the way a user driver for the real ZIP drives it (qm_user.h rings), and
 * everything it produces is checked against zlib here.
 *
 *   hisi_zip_test            every case for the loaded device (SVA or not)
 *   hisi_zip_test remove     rmmod hisi_zip with a queue open and busy
 *
 * Linked with -lz (see run.sh).
 */
#include "qm_user.h"
#include <sys/stat.h>
#include <zlib.h>

#define ZIP_PREFIX	"hisi_zip-"
#define T_DEFLATE	1
#define T_ZLIB		2
#define T_GZIP		3
#define F_FINISH	(1u << 25)
#define F_STREAM	(1u << 26)
#define F_NEW		(1u << 27)
#define ST_OK		0x00
#define ST_NEG		0x0d
#define ST_OUT_SMALL	0x0e
#define ST_CRC		0x10
#define ST_END		0x13
#define ST_ADDR		0x20
#define ST_LOST		0x21
#define ST_PARAM	0x23
#define SS_SIZE		(48u << 20)

static int nr_queues;
static int sva;

/* A queue with its buffer space: malloc (SVA) or the shared region. */
struct zq {
	struct qm qm;
	void *ss;
	uint64_t ss_dma;
	size_t ss_used;
};

static int zip_find(void)
{
	struct dirent *de;
	DIR *d = opendir("/sys/class/uacce");
	int ret = -1;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, ZIP_PREFIX, strlen(ZIP_PREFIX)) &&
		    (ret < 0 || strcmp(de->d_name, echo_name) < 0)) {
			/* the lowest-numbered device */
			snprintf(echo_name, sizeof(echo_name), "%s", de->d_name);
			snprintf(echo_dev, sizeof(echo_dev), "/dev/%s", de->d_name);
			ret = 0;
		}
	closedir(d);
	return ret;
}

/*
 * Open a queue; with share (no SVA only), its static shared region is
 * share's (UACCE_CMD_SHARE_SVAS), so one buffer serves both queues.
 */
static int zq_open_shared(struct zq *z, int qc_type, struct zq *share)
{
	struct qm *q = &z->qm;

	memset(z, 0, sizeof(*z));
	if (qm_map(q))
		return -1;
	if (!sva && share &&
	    ioctl(q->fd, UACCE_CMD_SHARE_SVAS, share->qm.fd))
		return qm_fail(q);
	if (!sva) {
		z->ss = mmap(NULL, SS_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			     q->fd, UACCE_QFRT_SS * getpagesize());
		if (z->ss == MAP_FAILED ||
		    ioctl(q->fd, UACCE_CMD_GET_SS_DMA, &z->ss_dma))
			return qm_fail(q);
	}
	return qm_configure(q, qc_type, 1) ? qm_fail(q) : 0;
}

static int zq_open(struct zq *z, int qc_type)
{
	return zq_open_shared(z, qc_type, NULL);
}

static void zq_close(struct zq *z)
{
	if (z->ss && z->ss != MAP_FAILED)
		munmap(z->ss, SS_SIZE);
	qm_close(&z->qm);
}

/* n bytes the device can reach; *addr is what goes into an SQE. */
static void *zbuf(struct zq *z, size_t n, uint64_t *addr)
{
	void *p;

	n = (n + 63) & ~(size_t)63;
	if (sva) {
		p = aligned_alloc(64, n ? n : 64);
		if (p)
			memset(p, 0, n);
		*addr = (uintptr_t)p;
		return p;
	}
	if (z->ss_used + n > SS_SIZE)
		return NULL;
	p = (char *)z->ss + z->ss_used;
	*addr = z->ss_dma + z->ss_used;
	z->ss_used += n;
	return p;
}

static void zsqe(uint32_t *s, int type, uint64_t src, uint32_t in_len,
		 uint64_t dst, uint32_t out_cap, uint32_t flags)
{
	memset(s, 0, 128);
	s[4] = in_len;
	s[7] = 3u << 28 | flags;
	s[9] = type | 4 << 12;		/* 32 KiB window */
	s[14] = out_cap;
	s[18] = (uint32_t)src;
	s[19] = src >> 32;
	s[20] = (uint32_t)dst;
	s[21] = dst >> 32;
}

static void zsqe_ctx(uint32_t *s, uint64_t ctx)
{
	s[22] = (uint32_t)ctx;
	s[23] = ctx >> 32;
}

/* One request, waited for: the completed SQE replaces s.  0 or -1. */
static int zrun(struct zq *z, uint32_t *s)
{
	if (qm_send(&z->qm, s))
		return -1;
	return qm_recv(&z->qm, s, 30000, NULL) < 0 ? -1 : 0;
}

static unsigned int st(const uint32_t *s)
{
	return s[3] & 0xff;
}

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

/* Text-like bytes: compressible, not trivially. */
static void fill_text(unsigned char *p, size_t n)
{
	static const char *words[] = { "accelerator ", "queue ", "doorbell ",
		"deflate ", "kernel ", "phase ", "the ", "a ", "ring\n",
		"zlib ", "completion ", "submission " };
	size_t i = 0, k;

	while (i < n) {
		const char *w = words[rnd() % 12];

		for (k = 0; w[k] && i < n; k++)
			p[i++] = w[k];
		if (rnd() % 7 == 0 && i < n)
			p[i++] = 'A' + rnd() % 26;
	}
}

static const unsigned char gzip_hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
static const unsigned char zlib_hdr[2] = { 0x78, 0x9c };

static int wbits_of(int type)
{
	return type == T_DEFLATE ? -15 : type == T_ZLIB ? 15 : 31;
}

static size_t hdr_len(int type)
{
	return type == T_DEFLATE ? 0 : type == T_ZLIB ? 2 : 10;
}

/* Inflate a whole stream with zlib; returns the output size or -1. */
static long host_inflate(int type, const void *in, size_t n, void *out, size_t cap)
{
	z_stream zs = { 0 };
	long got;
	int r;

	if (inflateInit2(&zs, wbits_of(type)) != Z_OK)
		return -1;
	zs.next_in = (void *)in;
	zs.avail_in = n;
	zs.next_out = out;
	zs.avail_out = cap;
	r = inflate(&zs, Z_FINISH);
	got = r == Z_STREAM_END ? (long)zs.total_out : -1;
	inflateEnd(&zs);
	return got;
}

static long host_deflate(int type, const void *in, size_t n, void *out, size_t cap)
{
	z_stream zs = { 0 };
	long got;

	if (deflateInit2(&zs, 6, Z_DEFLATED, wbits_of(type), 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	zs.next_in = (void *)in;
	zs.avail_in = n;
	zs.next_out = out;
	zs.avail_out = cap;
	got = deflate(&zs, Z_FINISH) == Z_STREAM_END ? (long)zs.total_out : -1;
	deflateEnd(&zs);
	return got;
}

static uint32_t host_csum(int type, const void *p, size_t n)
{
	return type == T_ZLIB ? adler32(1, p, n) : crc32(0, p, n);
}

#define DATA_LEN	(1u << 20)

/* Compress on the device, decompress with zlib; then the other way round. */
static int roundtrip(int type)
{
	size_t cap = DATA_LEN + DATA_LEN / 8 + 1024, h = hdr_len(type);
	unsigned char *in, *out, *back, *framed;
	uint64_t a_in, a_out;
	uint32_t s[32];
	struct zq c, d;
	long n, body;

	KT_ASSERT(zq_open(&c, 0) == 0, "open compress queue");
	/* no SVA: the buffers are in c's region, lent to d */
	KT_ASSERT(zq_open_shared(&d, 1, &c) == 0, "open decompress queue");
	in = zbuf(&c, DATA_LEN, &a_in);
	out = zbuf(&c, cap, &a_out);
	back = malloc(DATA_LEN);
	framed = malloc(cap + h);
	KT_ASSERT(in && out && back && framed, "alloc");
	fill_text(in, DATA_LEN);

	zsqe(s, type, a_in, DATA_LEN, a_out, cap, F_FINISH);
	s[26] = 0x5a5a1234;
	KT_ASSERT(zrun(&c, s) == 0, "no completion");
	KT_ASSERT(st(s) == ST_OK && (s[3] & 0x100), "status 0x%x", s[3]);
	KT_ASSERT(s[0] == DATA_LEN && s[1] > 0 && s[1] < DATA_LEN / 2,
		  "consumed %u produced %u", s[0], s[1]);
	KT_ASSERT(s[26] == 0x5a5a1234, "tag changed");
	KT_ASSERT(s[31] == host_csum(type, in, DATA_LEN), "checksum");
	memcpy(framed, type == T_GZIP ? gzip_hdr : zlib_hdr, h);
	memcpy(framed + h, out, s[1]);
	n = host_inflate(type, framed, h + s[1], back, DATA_LEN);
	KT_ASSERT(n == DATA_LEN && !memcmp(back, in, DATA_LEN),
		  "zlib cannot read the device's output (%ld)", n);

	/* zlib's output through the device */
	n = host_deflate(type, in, DATA_LEN, framed, cap + h);
	KT_ASSERT(n > 0, "host deflate");
	body = n - h;
	memcpy(out, framed + h, body);
	memset(in, 0, DATA_LEN);
	zsqe(s, type, a_out, body, a_in, DATA_LEN, F_FINISH);
	KT_ASSERT(zrun(&d, s) == 0, "no completion");
	KT_ASSERT(st(s) == ST_END && (s[3] & 0x100), "status 0x%x", s[3]);
	KT_ASSERT(s[1] == DATA_LEN && !memcmp(in, back, DATA_LEN), "output");
	KT_ASSERT(s[0] == body - (type == T_DEFLATE ? 0 : type == T_ZLIB ? 4 : 8),
		  "consumed %u of %ld", s[0], body);
	KT_ASSERT(s[31] == host_csum(type, back, DATA_LEN), "checksum");

	/* stateless: too small an output, truncated input */
	zsqe(s, type, a_out, body, a_in, 4096, 0);
	KT_ASSERT(zrun(&d, s) == 0 && st(s) == ST_OUT_SMALL, "small out 0x%x", s[3]);
	zsqe(s, type, a_out, body / 2, a_in, DATA_LEN, 0);
	KT_ASSERT(zrun(&d, s) == 0 && st(s) == ST_CRC, "truncated 0x%x", s[3]);
	zq_close(&c);
	zq_close(&d);
	return 0;
}

static int test_roundtrip_deflate(void) { return roundtrip(T_DEFLATE); }
static int test_roundtrip_zlib(void) { return roundtrip(T_ZLIB); }
static int test_roundtrip_gzip(void) { return roundtrip(T_GZIP); }

/* Stream-mode compression across 40 requests, read back by zlib. */
static int test_stream_compress(void)
{
	const size_t piece = 50000, total = 40 * piece, cap = 70000;
	unsigned char *in, *out, *all, *back;
	uint64_t a_in, a_out, a_ctx;
	size_t off = 0, len = 0;
	uint32_t s[32], csum = 0, isize = 0;
	struct zq c;
	int i = 0;
	long n;

	KT_ASSERT(zq_open(&c, 0) == 0, "open");
	in = zbuf(&c, total, &a_in);
	out = zbuf(&c, cap, &a_out);
	KT_ASSERT(zbuf(&c, 65536, &a_ctx), "ctx");
	all = malloc(total + 10);
	back = malloc(total);
	KT_ASSERT(in && out && all && back, "alloc");
	fill_text(in, total);
	memcpy(all, gzip_hdr, 10);
	len = 10;
	for (i = 0; off < total || i == 0; i++) {
		size_t n_in = total - off < piece ? total - off : piece;

		zsqe(s, T_GZIP, a_in + off, n_in, a_out, cap,
		     F_STREAM | (i == 0 ? F_NEW : 0) |
		     (off + n_in == total ? F_FINISH : 0));
		zsqe_ctx(s, a_ctx + 64);
		s[30] = isize;
		s[31] = csum;
		KT_ASSERT(zrun(&c, s) == 0, "request %d", i);
		KT_ASSERT(st(s) == ST_OK || st(s) == ST_NEG, "request %d: 0x%x", i, s[3]);
		KT_ASSERT(s[0] <= n_in && s[1] <= cap, "request %d counts", i);
		memcpy(all + len, out, s[1]);
		len += s[1];
		off += s[0];
		csum = s[31];
		isize = s[30];
		KT_ASSERT(i < 1000, "no progress");
	}
	KT_ASSERT(s[3] & 0x100, "last block not flagged");
	n = host_inflate(T_GZIP, all, len, back, total);
	KT_ASSERT(n == (long)total && !memcmp(back, in, total), "zlib: %ld", n);
	/* the stream ended: continuing it is "stream lost" */
	zsqe(s, T_GZIP, a_in, 100, a_out, cap, F_STREAM);
	zsqe_ctx(s, a_ctx + 64);
	KT_ASSERT(zrun(&c, s) == 0 && st(s) == ST_LOST, "after end: 0x%x", s[3]);
	zq_close(&c);
	return 0;
}

/* Stream-mode decompression of zlib's gzip in small pieces, small outputs. */
static int test_stream_decompress(void)
{
	const size_t total = 2u << 20, piece = 3000, cap = 16384;
	unsigned char *in, *out, *comp, *got;
	uint64_t a_in, a_out, a_ctx;
	size_t off, len = 0, body;
	uint32_t s[32], csum = 0, isize = 0;
	int i, ended = 0;
	long n;
	struct zq d;

	KT_ASSERT(zq_open(&d, 1) == 0, "open");
	comp = malloc(total + 1024);
	got = malloc(total);
	in = zbuf(&d, total + 1024, &a_in);
	out = zbuf(&d, cap, &a_out);
	KT_ASSERT(zbuf(&d, 65536, &a_ctx), "ctx");
	KT_ASSERT(comp && got && in && out, "alloc");
	fill_text(got, total);
	n = host_deflate(T_GZIP, got, total, comp, total + 1024);
	KT_ASSERT(n > 18, "host deflate");
	body = n - 10;
	memcpy(in, comp + 10, body);
	memset(got, 0, total);
	off = 0;
	for (i = 0; !ended; i++) {
		size_t n_in = body - off < piece ? body - off : piece;

		KT_ASSERT(i < 100000, "no end after %d requests", i);
		zsqe(s, T_GZIP, a_in + off, n_in, a_out, cap,
		     F_STREAM | (i == 0 ? F_NEW : 0));
		zsqe_ctx(s, a_ctx + 64);
		s[30] = isize;
		s[31] = csum;
		KT_ASSERT(zrun(&d, s) == 0, "request %d", i);
		KT_ASSERT(st(s) == ST_OK || st(s) == ST_END, "request %d: 0x%x", i, s[3]);
		KT_ASSERT(len + s[1] <= total, "too much output");
		memcpy(got + len, out, s[1]);
		len += s[1];
		off += s[0];
		csum = s[31];
		isize = s[30];
		ended = st(s) == ST_END;
		KT_ASSERT(ended || s[0] || s[1], "request %d: no progress", i);
	}
	KT_ASSERT(len == total, "output %zu of %zu", len, total);
	rnd_state = 12345;	/* the same text again */
	fill_text(comp, total);
	KT_ASSERT(!memcmp(comp, got, total), "output differs");
	KT_ASSERT(csum == crc32(0, got, total) && isize == total, "checksum/size");
	KT_ASSERT(body - off == 8, "trailer not left: %zu", body - off);
	printf("KTEST INFO stream decompress: %d requests\n", i);
	zq_close(&d);
	return 0;
}

/* Many small requests, several in flight: the rings wrap more than twice. */
static int test_ring_wrap(void)
{
	unsigned char *in, *out;
	uint64_t a_in, a_out;
	uint32_t s[32];
	int sent = 0, done = 0, j, total;
	struct zq c;

	KT_ASSERT(zq_open(&c, 0) == 0, "open");
	total = c.qm.depth * 2 + c.qm.depth / 2;
	in = zbuf(&c, 256, &a_in);
	out = zbuf(&c, 16 * 512, &a_out);
	KT_ASSERT(in && out, "alloc");
	fill_text(in, 256);
	while (done < total) {
		while (sent < total && c.qm.inflight < 16) {
			zsqe(s, T_ZLIB, a_in, 256, a_out + 512 * (sent % 16),
			     512, F_FINISH);
			s[26] = sent;
			KT_ASSERT(qm_send(&c.qm, s) == 0, "send %d", sent);
			sent++;
		}
		j = qm_recv(&c.qm, s, 10000, NULL);
		KT_ASSERT(j >= 0, "no completion after %d", done);
		KT_ASSERT(s[26] == (uint32_t)done && st(s) == ST_OK && s[0] == 256,
			  "request %d: tag %u status 0x%x", done, s[26], s[3]);
		done++;
	}
	KT_ASSERT(c.qm.phase == 1, "phase %d after %d", c.qm.phase, total);
	zq_close(&c);
	return 0;
}

/* depth - 1 SQEs behind one doorbell; the ring is then full. */
static int test_sq_full(void)
{
	unsigned char *in, *out;
	uint64_t a_in, a_out;
	uint32_t s[32];
	int i, j, n;
	struct zq c;
	char seen[4096] = { 0 };

	KT_ASSERT(zq_open(&c, 0) == 0, "open");
	n = c.qm.depth - 1;
	in = zbuf(&c, 64, &a_in);
	out = zbuf(&c, 256, &a_out);
	KT_ASSERT(in && out, "alloc");
	for (i = 0; i < n; i++) {
		zsqe(s, T_DEFLATE, a_in, 64, a_out, 256, F_FINISH);
		s[26] = i;
		memcpy(qm_sqe(&c.qm, i), s, 128);
	}
	c.qm.sq_tail = n;
	c.qm.inflight = n;
	qm_ring(&c.qm, QM_DB_SQ, n, 0);
	KT_ASSERT(qm_send(&c.qm, s) == -1, "a full ring took one more");
	for (i = 0; i < n; i++) {
		j = qm_recv(&c.qm, s, 10000, NULL);
		KT_ASSERT(j >= 0 && j < n && !seen[j], "completion %d: slot %d", i, j);
		seen[j] = 1;
		KT_ASSERT(st(s) == ST_OK && s[26] == (uint32_t)j, "slot %d: 0x%x", j, s[3]);
	}
	zq_close(&c);
	return 0;
}

/* One bad SQE: the CQE must come, with status want. */
static int bad_one(struct zq *z, uint32_t *s, unsigned int want, const char *what)
{
	KT_ASSERT(zrun(z, s) == 0, "%s: no completion", what);
	KT_ASSERT(st(s) == want, "%s: status 0x%x, want 0x%x", what, st(s), want);
	return 0;
}

static int test_bad_sqes(void)
{
	unsigned char *in, *out, *ro;
	uint64_t a_in, a_out, ss_end;
	uint32_t s[32];
	struct zq c;

	KT_ASSERT(zq_open(&c, 0) == 0, "open");
	in = zbuf(&c, 4096, &a_in);
	out = zbuf(&c, 8192, &a_out);
	KT_ASSERT(in && out, "alloc");
	fill_text(in, 4096);

	zsqe(s, T_GZIP, 0xdead00000000ull, 4096, a_out, 8192, F_FINISH);
	if (bad_one(&c, s, ST_ADDR, "wild source"))
		return -1;
	zsqe(s, T_GZIP, a_in, 4096, 0xffff800000001000ull, 8192, F_FINISH);
	if (bad_one(&c, s, ST_ADDR, "kernel-half destination"))
		return -1;
	zsqe(s, T_GZIP, a_in, (8u << 20) + 1, a_out, 8192, F_FINISH);
	if (bad_one(&c, s, ST_PARAM, "oversize input"))
		return -1;
	zsqe(s, T_GZIP, a_in, 4096, a_out, 0xffffffffu, F_FINISH);
	if (bad_one(&c, s, ST_PARAM, "oversize output"))
		return -1;
	zsqe(s, 0x07, a_in, 4096, a_out, 8192, F_FINISH);
	if (bad_one(&c, s, ST_PARAM, "unknown type"))
		return -1;
	zsqe(s, T_GZIP, a_in, 4096, a_out, 8192, F_FINISH);
	s[9] |= 1 << 8;
	if (bad_one(&c, s, ST_PARAM, "SGL buffers"))
		return -1;
	zsqe(s, T_GZIP, a_in, 4096, a_out, 8192, F_FINISH);
	s[9] = (s[9] & ~0xf000u) | 9 << 12;
	if (bad_one(&c, s, ST_PARAM, "window size"))
		return -1;
	zsqe(s, T_GZIP, a_in, 4096, a_out, 8192, F_FINISH);
	s[7] = (s[7] & 0x0fffffffu) | 7u << 28;
	if (bad_one(&c, s, ST_PARAM, "sqe_type"))
		return -1;
	if (sva) {
		/* the queue's own DUS (device memory): never a buffer */
		zsqe(s, T_GZIP, (uintptr_t)c.qm.dus, 4096, a_out, 8192, F_FINISH);
		if (bad_one(&c, s, ST_ADDR, "DUS as source"))
			return -1;
		ro = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		KT_ASSERT(ro != MAP_FAILED, "mmap");
		zsqe(s, T_GZIP, a_in, 4096, (uintptr_t)ro, 8192, F_FINISH);
		if (bad_one(&c, s, ST_ADDR, "read-only destination"))
			return -1;
		munmap(ro, 8192);
		zsqe(s, T_GZIP, (uintptr_t)ro, 4096, a_out, 8192, F_FINISH);
		if (bad_one(&c, s, ST_ADDR, "unmapped source"))
			return -1;
	} else {
		ss_end = c.ss_dma + SS_SIZE;
		zsqe(s, T_GZIP, ss_end - 100, 4096, a_out, 8192, F_FINISH);
		if (bad_one(&c, s, ST_ADDR, "source past the SS region"))
			return -1;
		zsqe(s, T_GZIP, a_in, 4096, c.ss_dma - 4096, 8192, F_FINISH);
		if (bad_one(&c, s, ST_ADDR, "destination before the SS region"))
			return -1;
		zsqe(s, T_GZIP, (uintptr_t)in, 4096, a_out, 8192, F_FINISH);
		if (bad_one(&c, s, ST_ADDR, "a process address on a no-SVA queue"))
			return -1;
	}
	/* stream continuation nobody started */
	zsqe(s, T_GZIP, a_in, 4096, a_out, 8192, F_STREAM);
	zsqe_ctx(s, a_out);
	if (bad_one(&c, s, ST_LOST, "unknown stream"))
		return -1;

	/* the user scribbles over its CQ: the next CQE is still right */
	memset((void *)qm_cqe(&c.qm, 0), 0xff, 16 * c.qm.depth);
	zsqe(s, T_GZIP, a_in, 4096, a_out, 8192, F_FINISH);
	s[26] = 77;
	KT_ASSERT(qm_send(&c.qm, s) == 0, "send");
	{
		struct pollfd pfd = { .fd = c.qm.fd, .events = POLLIN };
		volatile struct qm_cqe *cqe = qm_cqe(&c.qm, c.qm.cq_head);
		int waited;

		for (waited = 0; waited < 5000; waited += 10)
			if (poll(&pfd, 1, 10) > 0)
				break;
		KT_ASSERT(cqe->sq_head == (c.qm.sq_tail + c.qm.depth - 1) % c.qm.depth &&
			  cqe->sq_num == c.qm.id && (cqe->w7 & 1) == c.qm.phase,
			  "CQE after scribbling: head %u num %u w7 %u", cqe->sq_head,
			  cqe->sq_num, cqe->w7);
	}
	KT_ASSERT(qm_recv(&c.qm, s, 1000, NULL) >= 0 && st(s) == ST_OK && s[26] == 77,
		  "request after scribbling: 0x%x", s[3]);
	/* the rest is the user's own garbage: clean it up (not yet completed) */
	memset((void *)qm_cqe(&c.qm, c.qm.cq_head), 0,
	       16 * (c.qm.depth - c.qm.cq_head));
	/* garbage doorbells: another qn, an index past the ring, a bad cmd */
	qm_ring(&c.qm, QM_DB_SQ, 4000, 0);
	*(volatile uint64_t *)((char *)c.qm.mmio + QM_DB_OFFSET) =
		(uint64_t)(c.qm.id + 1) | (uint64_t)(c.qm.sq_tail + 5) << 32;
	*(volatile uint64_t *)((char *)c.qm.mmio + QM_DB_OFFSET) = 0x7000 | c.qm.id;
	usleep(20000);
	KT_ASSERT(!qm_cqe_ready(&c.qm), "a bogus doorbell ran something");
	/* still healthy */
	zsqe(s, T_GZIP, a_in, 4096, a_out, 8192, F_FINISH);
	KT_ASSERT(zrun(&c, s) == 0 && st(s) == ST_OK, "after bad SQEs: 0x%x", s[3]);
	zq_close(&c);

	/* qc_type 2 is accepted by SET_QP_CTX, but is no ZIP direction */
	KT_ASSERT(zq_open(&c, 2) == 0, "open qc_type 2");
	in = zbuf(&c, 4096, &a_in);
	out = zbuf(&c, 8192, &a_out);
	zsqe(s, T_GZIP, a_in, 4096, a_out, 8192, F_FINISH);
	if (bad_one(&c, s, ST_PARAM, "qc_type 2"))
		return -1;
	zq_close(&c);
	return 0;
}

/* Another process's buffers: never reached through our queue. */
static int test_two_processes(void)
{
	void *const fixed = (void *)0x6f0000000000ul;
	int pfd[2], status;
	unsigned char *p;
	char c = 0;
	pid_t pid;

	if (!sva) {
		printf("KTEST INFO two processes: no-SVA queues reach only their own region (bad SQEs)\n");
		return 0;
	}
	KT_ASSERT(pipe(pfd) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		unsigned char *out, *back;
		uint64_t a_out;
		uint32_t s[32];
		struct zq z;
		long n;

		if (read(pfd[0], &c, 1) != 1 || zq_open(&z, 0))
			_exit(10);
		out = zbuf(&z, 65536, &a_out);
		back = malloc(65536);
		/* the parent's secret is at 'fixed' in its mm; ours has nothing */
		zsqe(s, T_DEFLATE, (uintptr_t)fixed, 4096, a_out, 65536, F_FINISH);
		if (zrun(&z, s) || st(s) != ST_ADDR)
			_exit(11);
		/* our own page at the same address: that is what is read */
		p = mmap(fixed, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p != fixed)
			_exit(12);
		memset(p, 'c', 4096);
		zsqe(s, T_DEFLATE, (uintptr_t)fixed, 4096, a_out, 65536, F_FINISH);
		if (zrun(&z, s) || st(s) != ST_OK)
			_exit(13);
		n = host_inflate(T_DEFLATE, out, s[1], back, 65536);
		if (n != 4096 || memchr(back, 'P', 4096) || back[0] != 'c')
			_exit(14);
		_exit(0);
	}
	p = mmap(fixed, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	KT_ASSERT(p == fixed, "mmap fixed");
	memset(p, 'P', 4096);
	KT_ASSERT(write(pfd[1], &c, 1) == 1, "write");
	waitpid(pid, &status, 0);
	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "child status %d", status);
	return 0;
}

static int wait_instances(long want, int ms)
{
	int i;

	for (i = 0; i < ms / 10; i++) {
		if (echo_attr_long("available_instances") == want)
			return 0;
		usleep(10000);
	}
	return -1;
}

/* kill -9 while big stream-mode requests run: everything is given back. */
static int test_kill_mid_stream(void)
{
	int pfd[2], status;
	char c;
	pid_t pid;

	KT_ASSERT(pipe(pfd) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		const size_t total = 8u << 20;
		uint64_t a_in, a_out, a_ctx;
		unsigned char *in;
		uint32_t s[32];
		struct zq z;
		int i;

		if (zq_open(&z, 0))
			_exit(10);
		in = zbuf(&z, total, &a_in);
		if (!in || !zbuf(&z, total + 4096, &a_out) ||
		    !zbuf(&z, 65536, &a_ctx))
			_exit(11);
		fill_text(in, total);
		for (i = 0; i < 8; i++) {
			zsqe(s, T_GZIP, a_in, total, a_out, total + 4096,
			     F_STREAM | (i == 0 ? F_NEW : 0));
			zsqe_ctx(s, a_ctx);
			qm_send(&z.qm, s);
		}
		if (write(pfd[1], "x", 1) != 1)
			_exit(12);
		for (;;)
			qm_recv(&z.qm, s, 100000, NULL);
	}
	KT_ASSERT(read(pfd[0], &c, 1) == 1, "child did not start");
	usleep(300000);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	KT_ASSERT(WIFSIGNALED(status), "child status %d", status);
	KT_ASSERT(wait_instances(nr_queues, 10000) == 0,
		  "queues not given back: %ld", echo_attr_long("available_instances"));
	/* the device still works */
	return test_ring_wrap();
}

/* 10,000 open/map/start/close cycles leave no memory or queue behind. */
static int test_open_close_cycles(void)
{
	long before = 0, after, slab_before = 0, slab_after;
	uint64_t a_in, a_out;
	uint32_t s[32];
	struct zq z;
	int i;

	for (i = 0; i < 10100; i++) {
		if (i == 100) {
			before = kt_meminfo("MemAvailable");
			slab_before = kt_meminfo("Slab");
		}
		KT_ASSERT(zq_open(&z, i & 1) == 0, "cycle %d", i);
		if (i % 1000 == 0) {
			zbuf(&z, 4096, &a_in);
			zbuf(&z, 8192, &a_out);
			zsqe(s, T_GZIP, a_in, 4096, a_out, 8192, F_FINISH);
			KT_ASSERT(zrun(&z, s) == 0, "cycle %d: request", i);
			if (sva) {
				free((void *)(uintptr_t)a_in);
				free((void *)(uintptr_t)a_out);
			}
		}
		zq_close(&z);
	}
	after = kt_meminfo("MemAvailable");
	slab_after = kt_meminfo("Slab");
	printf("KTEST INFO 10000 cycles: MemAvailable %ld -> %ld kB, Slab %ld -> %ld kB\n",
	       before, after, slab_before, slab_after);
	KT_ASSERT(before - after < 8192 && slab_after - slab_before < 4096,
		  "memory grew: %ld kB available less, slab +%ld kB",
		  before - after, slab_after - slab_before);
	KT_ASSERT(echo_attr_long("available_instances") == nr_queues, "queues");
	return 0;
}

static int cpu_times(unsigned long long *busy, unsigned long long *total)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
		   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 8)
		return -1;
	*busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
	*total = *busy + v[3] + v[4];
	return 0;
}

/* Every queue open and started, then idle: the engine takes no CPU. */
static int test_idle_cpu(void)
{
	unsigned long long b0, t0, b1, t1;
	static struct zq zs[1024];
	uint64_t a_in, a_out;
	uint32_t s[32];
	double pct;
	int i;

	KT_ASSERT(nr_queues <= 1024, "queues");
	for (i = 0; i < nr_queues; i++) {
		KT_ASSERT(zq_open(&zs[i], 0) == 0, "open %d", i);
		zbuf(&zs[i], 4096, &a_in);
		zbuf(&zs[i], 8192, &a_out);
		zsqe(s, T_GZIP, a_in, 4096, a_out, 8192, F_FINISH);
		KT_ASSERT(zrun(&zs[i], s) == 0 && st(s) == ST_OK, "queue %d", i);
	}
	KT_ASSERT(echo_attr_long("available_instances") == 0, "all queues in use");
	sleep(1);
	KT_ASSERT(cpu_times(&b0, &t0) == 0, "/proc/stat");
	sleep(3);
	KT_ASSERT(cpu_times(&b1, &t1) == 0, "/proc/stat");
	pct = 100.0 * (b1 - b0) / (double)(t1 - t0 ? t1 - t0 : 1);
	printf("KTEST INFO idle with %d queues started: %.2f %% CPU (whole guest)\n",
	       nr_queues, pct);
	KT_ASSERT(pct < 3.0, "%.2f %% CPU while idle", pct);
	for (i = 0; i < nr_queues; i++)
		zq_close(&zs[i]);
	return 0;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Doorbell to CQE, a small request, spinning on the CQ: the wake path. */
static int test_latency(void)
{
	static double lat[300];
	uint64_t a_in, a_out;
	uint32_t s[32];
	struct zq c;
	double t;
	int i;

	KT_ASSERT(zq_open(&c, 0) == 0, "open");
	zbuf(&c, 64, &a_in);
	zbuf(&c, 256, &a_out);
	for (i = 0; i < 300; i++) {
		zsqe(s, T_DEFLATE, a_in, 64, a_out, 256, F_FINISH);
		t = now_us();
		KT_ASSERT(qm_send(&c.qm, s) == 0, "send");
		while (!qm_cqe_ready(&c.qm))
			KT_ASSERT(now_us() - t < 5e6, "request %d: no CQE in 5 s", i);
		lat[i] = now_us() - t;
		KT_ASSERT(qm_recv(&c.qm, s, 0, NULL) >= 0 && st(s) == ST_OK, "status");
		if (i % 50 == 49)
			usleep(50000);	/* some after a quiet spell */
	}
	qsort(lat, 300, sizeof(lat[0]), cmp_double);
	printf("KTEST INFO doorbell-to-CQE latency (64 B deflate, qemu TCG): median %.0f us, p90 %.0f us, max %.0f us\n",
	       lat[150], lat[270], lat[299]);
	zq_close(&c);
	return 0;
}

static int test_sysfs(void)
{
	char buf[256];

	KT_ASSERT(echo_attr("api", buf, sizeof(buf)) > 0, "api");
	KT_ASSERT(!strcmp(buf, "hisi_qm_v3\n") || !strcmp(buf, "hisi_qm_v2\n"), "api %s", buf);
	KT_ASSERT(echo_attr("algorithms", buf, sizeof(buf)) > 0, "algorithms");
	KT_ASSERT(!strcmp(buf, "zlib\ngzip\ndeflate\n") || !strcmp(buf, "zlib\ngzip\n"),
		  "algorithms %s", buf);
	KT_ASSERT(echo_attr_long("flags") == sva, "flags");
	KT_ASSERT(echo_attr_long("region_mmio_size") == 2 * 4096, "mmio size");
	KT_ASSERT(echo_attr_long("region_dus_size") == 0x25000, "dus size (1024 deep)");
	KT_ASSERT(echo_attr_long("isolate") == 0, "isolate");
	KT_ASSERT(echo_attr_long("isolate_strategy") == 0, "isolate_strategy");
	KT_ASSERT(nr_queues >= 2, "available_instances %d", nr_queues);
	return 0;
}

/* Isolation: engine faults (injected) past isolate_strategy isolate the device. */
static int set_param(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

/* rmmod hisi_zip while a child's queue is busy: the child sees "stopped". */
static int test_remove(void)
{
	int pfd[2], status, i;
	char c;
	pid_t pid;

	KT_ASSERT(pipe(pfd) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		uint64_t a_in, a_out;
		volatile uint32_t *stop;
		uint32_t s[32];
		struct zq z;
		int r;

		if (zq_open(&z, 0))
			_exit(10);
		zbuf(&z, 65536, &a_in);
		zbuf(&z, 70000, &a_out);
		stop = (volatile uint32_t *)((char *)z.qm.dus + z.qm.dus_size - 8);
		if (write(pfd[1], "x", 1) != 1)
			_exit(11);
		for (i = 0; i < 1000000; i++) {
			zsqe(s, T_GZIP, a_in, 65536, a_out, 70000, F_FINISH);
			if (stop[0] || stop[1])
				break;
			qm_send(&z.qm, s);
			r = qm_recv(&z.qm, s, 2000, NULL);
			if (r == -2)
				break;		/* poll: POLLERR|POLLHUP */
		}
		/* the stand-in DUS has both stop words set */
		usleep(100000);
		if (!stop[0] || !stop[1])
			_exit(13);
		if (ioctl(z.qm.fd, UACCE_CMD_START_Q) != -1 || errno != ENXIO)
			_exit(14);
		zq_close(&z);
		_exit(0);
	}
	KT_ASSERT(read(pfd[0], &c, 1) == 1, "child did not start");
	usleep(300000);
	KT_ASSERT(system("rmmod hisi_zip") == 0, "rmmod with a busy queue failed");
	for (i = 0; i < 500 && waitpid(pid, &status, WNOHANG) == 0; i++)
		usleep(10000);
	KT_ASSERT(i < 500, "child hangs after removal");
	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	return 0;
}

static int test_isolation(void)
{
	const char *fe = "/sys/module/hisi_zip/parameters/fault_every";
	char path[512];
	uint64_t a_in, a_out;
	uint32_t s[32];
	struct zq c;
	int i, faults = 0;

	snprintf(path, sizeof(path), "/sys/class/uacce/%s/isolate_strategy", echo_name);
	KT_ASSERT(set_param(path, "3") == 0, "write isolate_strategy");
	KT_ASSERT(echo_attr_long("isolate_strategy") == 3, "isolate_strategy");
	KT_ASSERT(zq_open(&c, 0) == 0, "open");
	zbuf(&c, 4096, &a_in);
	zbuf(&c, 8192, &a_out);
	KT_ASSERT(set_param(fe, "1") == 0, "fault_every");
	for (i = 0; i < 4; i++) {
		zsqe(s, T_GZIP, a_in, 4096, a_out, 8192, F_FINISH);
		KT_ASSERT(zrun(&c, s) == 0, "request");
		faults += st(s) == 0x22;
	}
	set_param(fe, "0");
	KT_ASSERT(faults == 4, "%d engine faults", faults);
	KT_ASSERT(echo_attr_long("isolate") == 1, "not isolated after 4 faults");
	KT_ASSERT(set_param(path, "5") == -1, "an isolated device took a new strategy");
	zq_close(&c);
	return 0;
}

int main(int argc, char **argv)
{
	if (zip_find()) {
		printf("KTEST FAIL hisi_zip_find: no %s device\n", ZIP_PREFIX);
		return 1;
	}
	nr_queues = echo_attr_long("available_instances");
	sva = echo_attr_long("flags") & 1;
	printf("KTEST INFO hisi_zip selftests on %s (%s)\n", echo_name,
	       sva ? "SVA" : "no SVA");
	if (argc > 1 && !strcmp(argv[1], "remove")) {
		kt_run("hisi_zip_rmmod_with_queue_open", test_remove, 60);
		return kt_failed ? 1 : 0;
	}
	const char *m = sva ? "" : "_nosva";
	char name[128];
#define RUN(n, fn, t) do { snprintf(name, sizeof(name), "hisi_zip_%s%s", n, m); \
			   kt_run(name, fn, t); } while (0)
	RUN("sysfs", test_sysfs, 10);
	RUN("roundtrip_deflate", test_roundtrip_deflate, 120);
	RUN("roundtrip_zlib", test_roundtrip_zlib, 120);
	RUN("roundtrip_gzip", test_roundtrip_gzip, 120);
	RUN("stream_compress", test_stream_compress, 120);
	RUN("stream_decompress", test_stream_decompress, 120);
	RUN("ring_wrap", test_ring_wrap, 120);
	RUN("sq_full", test_sq_full, 120);
	RUN("bad_sqes", test_bad_sqes, 60);
	RUN("latency", test_latency, 60);
	if (sva) {
		RUN("two_processes", test_two_processes, 60);
		RUN("kill9_mid_stream", test_kill_mid_stream, 120);
		RUN("open_close_10000", test_open_close_cycles, 400);
		RUN("idle_cpu", test_idle_cpu, 60);
		/* last: it leaves the device isolated */
		RUN("isolation", test_isolation, 60);
	}
	return kt_failed ? 1 : 0;
}
