// SPDX-License-Identifier: GPL-2.0
/*
 * bench-sampler: read a counter file (a vif's statistics/rx_packets) every
 * INTERVAL_MS for SECS seconds and print one "T_US COUNT" line per sample,
 * T_US from CLOCK_MONOTONIC taken just before the read.  Sleeps to absolute
 * deadlines (clock_nanosleep TIMER_ABSTIME); a late wake-up is not made up
 * by a burst of samples: the next deadline is one interval after the late
 * one.  The windows between samples are what the caller judges, with the
 * recorded times, never the nominal ones.  Built static for dom0's
 * initramfs by run-xen.sh.
 *
 *   bench-sampler /sys/class/net/vif1.0/statistics/rx_packets 100 20
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static long long read_counter(const char *path)
{
	char buf[64];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtoll(buf, NULL, 10);
}

int main(int argc, char **argv)
{
	struct timespec next;
	long long iv_ns, end_us, t, c;

	if (argc != 4) {
		fprintf(stderr, "usage: %s FILE INTERVAL_MS SECS\n", argv[0]);
		return 2;
	}
	iv_ns = atoll(argv[2]) * 1000000LL;
	if (iv_ns <= 0 || atoi(argv[3]) <= 0) {
		fprintf(stderr, "bench-sampler: bad interval or duration\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	clock_gettime(CLOCK_MONOTONIC, &next);
	end_us = now_us() + atoll(argv[3]) * 1000000LL;
	for (;;) {
		t = now_us();
		c = read_counter(argv[1]);
		if (c < 0) {
			fprintf(stderr, "bench-sampler: cannot read %s: %s\n",
				argv[1], strerror(errno));
			return 1;
		}
		printf("%lld %lld\n", t, c);
		if (t >= end_us)
			break;
		next.tv_nsec += iv_ns % 1000000000LL;
		next.tv_sec += iv_ns / 1000000000LL + next.tv_nsec / 1000000000LL;
		next.tv_nsec %= 1000000000LL;
		if ((long long)next.tv_sec * 1000000LL + next.tv_nsec / 1000 < now_us()) {
			/* late: restart the schedule from now, no catch-up burst */
			clock_gettime(CLOCK_MONOTONIC, &next);
			next.tv_nsec += iv_ns % 1000000000LL;
			next.tv_sec += iv_ns / 1000000000LL + next.tv_nsec / 1000000000LL;
			next.tv_nsec %= 1000000000LL;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
