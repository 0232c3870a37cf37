/*
 * The codec's own ceiling for WarpDrive's zlib-ng levels (2-9; ISA-L serves 1) on this machine: how much faster N threads
 * compressing 1 MiB chunks (each primed with the previous 32 KiB, as the soft engine does) run than one thread
 * compressing the whole input as one stream (as DeflateStream does), with the same zlib-ng: the runtime's
 * libSystem.IO.Compression.Native. No copying, ordering or queues: what is left of the thread count is what the
 * codec and the cores allow, an upper bound for `warpdrive bench compress`.
 *
 * usage: zlibng_ceiling NATIVE_LIB CORPUS [LEVEL [THREADS [ROUNDS]]]
 */
#include "ceiling.h"

enum { CHUNK = 1 << 20, WINDOW = 32 * 1024 };

static int (*deflate_init)(pal_zstream *, int, int, int, int, int);
static int (*deflate_step)(pal_zstream *, int);
static int (*deflate_end)(pal_zstream *);

static unsigned char *corpus;
static size_t corpus_length;
static int level = 6, threads = 2;
static unsigned char *single_output;
static size_t single_capacity;
static atomic_size_t next_chunk;

/* Compresses input into output (big enough), first feeding dictionary and discarding its output. */
static size_t compress(const unsigned char *dictionary, size_t dictionary_length, const unsigned char *input,
		       size_t length, unsigned char *output, size_t capacity, int flush)
{
	static _Thread_local unsigned char discard[2 * WINDOW];
	pal_zstream z = { 0 };
	if (deflate_init(&z, level, 8, -15, 8, 0) != 0) {
		fprintf(stderr, "deflate init failed\n");
		exit(1);
	}
	if (dictionary_length > 0) {
		z.next_in = (unsigned char *)dictionary;
		z.avail_in = dictionary_length;
		z.next_out = discard;
		z.avail_out = sizeof discard;
		deflate_step(&z, SYNC_FLUSH);
	}
	z.next_in = (unsigned char *)input;
	z.avail_in = length;
	z.next_out = output;
	z.avail_out = capacity;
	deflate_step(&z, flush);
	size_t produced = capacity - z.avail_out;
	deflate_end(&z);
	return produced;
}

static void *chunk_worker(void *unused)
{
	(void)unused;
	size_t capacity = CHUNK + CHUNK / 4 + 4096;
	unsigned char *output = malloc(capacity);
	for (;;) {
		size_t at = atomic_fetch_add(&next_chunk, CHUNK);
		if (at >= corpus_length)
			break;
		size_t length = corpus_length - at < CHUNK ? corpus_length - at : CHUNK;
		size_t dictionary = at < WINDOW ? at : WINDOW;
		compress(corpus + at - dictionary, dictionary, corpus + at, length, output, capacity, SYNC_FLUSH);
	}
	free(output);
	return NULL;
}

static double time_chunked(void)
{
	return time_threads(threads, &next_chunk, chunk_worker);
}

static double time_single(void)
{
	double start = seconds();
	compress(NULL, 0, corpus, corpus_length, single_output, single_capacity, FINISH);
	return seconds() - start;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s NATIVE_LIB CORPUS [LEVEL [THREADS [ROUNDS]]]\n", argv[0]);
		return 2;
	}
	void *native = open_library(argv[1]);
	deflate_init = need(native, "CompressionNative_DeflateInit2_");
	deflate_step = need(native, "CompressionNative_Deflate");
	deflate_end = need(native, "CompressionNative_DeflateEnd");
	corpus = load_corpus(argv[2], &corpus_length);
	int rounds;
	parse_tail(argc, argv, 3, &level, &threads, &rounds);
	single_capacity = corpus_length + corpus_length / 4 + 4096;
	single_output = malloc(single_capacity);

	double single, chunked;
	best_of_turns(rounds, time_single, time_chunked, &single, &chunked);
	double mb = corpus_length / 1e6;
	printf("level %d, %.1f MB: one stream %.0f MB/s, %d threads on primed 1 MiB chunks %.0f MB/s, ratio %.2f\n",
	       level, mb, mb / single, threads, mb / chunked, single / chunked);
	return 0;
}
