/* What both ceiling probes share: the runtime's zlib stream struct, a clock, loading the corpus, timing N threads. */
#ifndef WARPDRIVE_CEILING_H
#define WARPDRIVE_CEILING_H

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* libSystem.IO.Compression.Native's wrapper struct (PAL_ZStream), not zlib's z_stream. */
typedef struct {
	unsigned char *next_in, *next_out;
	char *msg;
	void *state;
	unsigned avail_in, avail_out;
} pal_zstream;

enum { SYNC_FLUSH = 2, FINISH = 4, STREAM_END = 1 };

static double seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *open_library(const char *path)
{
	void *library = dlopen(path, RTLD_NOW);
	if (library == NULL) {
		fprintf(stderr, "%s\n", dlerror());
		exit(1);
	}
	return library;
}

static void *need(void *library, const char *name)
{
	void *symbol = dlsym(library, name);
	if (symbol == NULL) {
		fprintf(stderr, "missing %s\n", name);
		exit(1);
	}
	return symbol;
}

static unsigned char *load_corpus(const char *path, size_t *length)
{
	FILE *file = fopen(path, "rb");
	if (file == NULL) {
		perror(path);
		exit(1);
	}
	fseek(file, 0, SEEK_END);
	*length = ftell(file);
	rewind(file);
	unsigned char *data = malloc(*length);
	if (fread(data, 1, *length, file) != *length) {
		perror(path);
		exit(1);
	}
	fclose(file);
	return data;
}

/* Wall time of `threads` threads running worker to its end; workers claim their work from next, reset first. */
static double time_threads(int threads, atomic_size_t *next, void *(*worker)(void *))
{
	pthread_t started[64];
	atomic_store(next, 0);
	double start = seconds();
	for (int i = 0; i < threads; i++)
		pthread_create(&started[i], NULL, worker, NULL);
	for (int i = 0; i < threads; i++)
		pthread_join(started[i], NULL);
	return seconds() - start;
}

/*
 * The best time of each side over `rounds` turns that alternate, after one untimed turn each: a slow spell of a
 * shared host falls on both sides alike.
 */
static void best_of_turns(int rounds, double (*one)(void), double (*other)(void), double *one_best, double *other_best)
{
	one();
	other();
	*one_best = *other_best = 1e9;
	for (int round = 0; round < rounds; round++) {
		double a = one(), b = other();
		*one_best = a < *one_best ? a : *one_best;
		*other_best = b < *other_best ? b : *other_best;
	}
}

/* Optional arguments from `first` on: level, threads, rounds. */
static void parse_tail(int argc, char **argv, int first, int *level, int *threads, int *rounds)
{
	*level = argc > first ? atoi(argv[first]) : 6;
	*threads = argc > first + 1 ? atoi(argv[first + 1]) : 2;
	*rounds = argc > first + 2 ? atoi(argv[first + 2]) : 5;
	if (*level < 0 || *level > 9 || *threads < 1 || *threads > 64 || *rounds < 1) {
		fprintf(stderr, "level must be 0-9, threads 1-64 and rounds at least 1\n");
		exit(2);
	}
}

#endif
