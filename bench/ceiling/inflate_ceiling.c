/*
 * The codecs' own ceiling for WarpDrive's parallel gzip decompression on this machine: N threads inflating 4 MiB
 * members with libdeflate and checking each with CRC-32 (as the soft engine does for WarpDrive's indexed gzip),
 * against one thread inflating the whole input as one gzip stream into a 128 KiB buffer (as GZipStream does),
 * with the runtime's zlib-ng. No queues, no copy into the reader's buffer: an upper bound for the "decompress
 * own gzip" column of `warpdrive bench compress`.
 *
 * usage: inflate_ceiling NATIVE_LIB LIBDEFLATE CORPUS [LEVEL [THREADS [ROUNDS]]]
 */
#include "ceiling.h"

enum { MEMBER = 4 << 20, READ_BUFFER = 128 * 1024, RAW = -15, GZIP = 31 };

static int (*deflate_init)(pal_zstream *, int, int, int, int, int);
static int (*deflate_step)(pal_zstream *, int);
static int (*deflate_end)(pal_zstream *);
static int (*inflate_init)(pal_zstream *, int);
static int (*inflate_step)(pal_zstream *, int);
static int (*inflate_end)(pal_zstream *);
static unsigned (*crc32_native)(unsigned, const unsigned char *, int);
static void *(*libdeflate_alloc_decompressor)(void);
static int (*libdeflate_deflate_decompress)(void *, const void *, size_t, void *, size_t, size_t *);

static unsigned char *corpus;
static size_t corpus_length;
static struct member { unsigned char *data; size_t length, output_length; unsigned crc; } *members;
static size_t member_count;
static atomic_size_t next_member;
static int threads = 2;
static unsigned char *gzip;
static size_t gzip_length;

static size_t deflate_all(const unsigned char *input, size_t length, int level, int window_bits, unsigned char **output)
{
	size_t capacity = length + length / 4 + 4096;
	*output = malloc(capacity);
	pal_zstream z = { 0 };
	deflate_init(&z, level, 8, window_bits, 8, 0);
	z.next_in = (unsigned char *)input;
	z.avail_in = length;
	z.next_out = *output;
	z.avail_out = capacity;
	if (deflate_step(&z, FINISH) != STREAM_END) {
		fprintf(stderr, "deflate did not finish\n");
		exit(1);
	}
	deflate_end(&z);
	return capacity - z.avail_out;
}

static void *member_worker(void *unused)
{
	(void)unused;
	void *decompressor = libdeflate_alloc_decompressor();
	unsigned char *output = malloc(MEMBER);
	for (;;) {
		size_t i = atomic_fetch_add(&next_member, 1);
		if (i >= member_count)
			break;
		size_t produced;
		if (libdeflate_deflate_decompress(decompressor, members[i].data, members[i].length, output, MEMBER, &produced) != 0
		    || produced != members[i].output_length || crc32_native(0, output, produced) != members[i].crc) {
			fprintf(stderr, "member %zu did not decode\n", i);
			exit(1);
		}
	}
	free(output);
	return NULL;
}

static double time_members(void)
{
	return time_threads(threads, &next_member, member_worker);
}

static double time_single(void)
{
	static unsigned char buffer[READ_BUFFER];
	double start = seconds();
	pal_zstream z = { 0 };
	inflate_init(&z, GZIP);
	z.next_in = (unsigned char *)gzip;
	z.avail_in = gzip_length;
	size_t total = 0;
	int rc;
	do {
		z.next_out = buffer;
		z.avail_out = sizeof buffer;
		rc = inflate_step(&z, 0);
		total += sizeof buffer - z.avail_out;
	} while (rc == 0);
	inflate_end(&z);
	if (rc != STREAM_END || total != corpus_length) {
		fprintf(stderr, "gzip stream did not decode\n");
		exit(1);
	}
	return seconds() - start;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s NATIVE_LIB LIBDEFLATE CORPUS [LEVEL [THREADS [ROUNDS]]]\n", argv[0]);
		return 2;
	}
	void *native = open_library(argv[1]), *libdeflate = open_library(argv[2]);
	deflate_init = need(native, "CompressionNative_DeflateInit2_");
	deflate_step = need(native, "CompressionNative_Deflate");
	deflate_end = need(native, "CompressionNative_DeflateEnd");
	inflate_init = need(native, "CompressionNative_InflateInit2_");
	inflate_step = need(native, "CompressionNative_Inflate");
	inflate_end = need(native, "CompressionNative_InflateEnd");
	crc32_native = need(native, "CompressionNative_Crc32");
	libdeflate_alloc_decompressor = need(libdeflate, "libdeflate_alloc_decompressor");
	libdeflate_deflate_decompress = need(libdeflate, "libdeflate_deflate_decompress");

	corpus = load_corpus(argv[3], &corpus_length);
	int level, rounds;
	parse_tail(argc, argv, 4, &level, &threads, &rounds);

	/* What each side reads: one gzip stream, and independent raw-deflate members with their CRCs. */
	gzip_length = deflate_all(corpus, corpus_length, level, GZIP, &gzip);
	member_count = (corpus_length + MEMBER - 1) / MEMBER;
	members = calloc(member_count, sizeof *members);
	for (size_t i = 0; i < member_count; i++) {
		size_t at = i * MEMBER, length = corpus_length - at < MEMBER ? corpus_length - at : MEMBER;
		members[i].length = deflate_all(corpus + at, length, level, RAW, &members[i].data);
		members[i].output_length = length;
		members[i].crc = crc32_native(0, corpus + at, length);
	}

	double single, parallel;
	best_of_turns(rounds, time_single, time_members, &single, &parallel);
	double mb = corpus_length / 1e6;
	printf("level %d, %.1f MB: zlib-ng one stream %.0f MB/s, %d threads of libdeflate on 4 MiB members %.0f MB/s, ratio %.2f\n",
	       level, mb, mb / single, threads, mb / parallel, single / parallel);
	return 0;
}
