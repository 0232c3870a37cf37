/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal test harness for the guest selftests.  Each case runs in its own
 * child process with a timeout and prints one line:
 *   KTEST PASS <name>
 *   KTEST FAIL <name>: <reason>
 */
#ifndef KTEST_H
#define KTEST_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>

static int kt_msg_fd = -1;

static void kt_fail_msg(const char *file, int line, const char *fmt, ...)
{
	char buf[512];
	int n;
	va_list ap;

	n = snprintf(buf, sizeof(buf), "%s:%d: ", file, line);
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (kt_msg_fd >= 0 && write(kt_msg_fd, buf, strlen(buf)) < 0)
		perror("write");
}

/* Fail the current case (return from the test function) unless cond. */
#define KT_ASSERT(cond, fmt, ...)						\
	do {									\
		if (!(cond)) {							\
			kt_fail_msg(__FILE__, __LINE__, "%s: " fmt " (errno %d %s)", \
				    #cond, ##__VA_ARGS__, errno, strerror(errno)); \
			return -1;						\
		}								\
	} while (0)

#define KT_EXPECT_ERRNO(expr, err)						\
	do {									\
		errno = 0;							\
		long __r = (long)(expr);					\
		if (__r != -1 || errno != (err)) {				\
			kt_fail_msg(__FILE__, __LINE__,				\
				    "%s: want -1/%s, got %ld/%s", #expr,	\
				    strerror(err), __r, strerror(errno));	\
			return -1;						\
		}								\
	} while (0)

static int kt_passed, kt_failed;

static void kt_run(const char *name, int (*fn)(void), int timeout_s)
{
	char reason[600] = "";
	int pfd[2], status;
	ssize_t n;
	pid_t pid;

	fflush(stdout);
	if (pipe(pfd) < 0) {
		perror("pipe");
		exit(2);
	}
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		kt_msg_fd = pfd[1];
		alarm(timeout_s);
		_exit(fn() ? 1 : 0);
	}
	close(pfd[1]);
	n = read(pfd[0], reason, sizeof(reason) - 1);
	reason[n > 0 ? n : 0] = 0;
	close(pfd[0]);
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("KTEST PASS %s\n", name);
		kt_passed++;
	} else {
		if (WIFSIGNALED(status))
			snprintf(reason + strlen(reason),
				 sizeof(reason) - strlen(reason),
				 "%skilled by signal %d%s", *reason ? "; " : "",
				 WTERMSIG(status),
				 WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
		printf("KTEST FAIL %s: %s\n", name, *reason ? reason : "failed");
		kt_failed++;
	}
	fflush(stdout);
}

/* A /proc/meminfo field in kB, by its name without the colon; -1 when absent. */
static long kt_meminfo(const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':')
			v = strtol(line + strlen(key) + 1, NULL, 10);
	fclose(f);
	return v;
}

#endif /* KTEST_H */
