// SPDX-License-Identifier: GPL-2.0
/*
 * e2e-count: dom0's counters for the traffic scenarios of the e2e rig
 * (built static by lib.sh, /usr/bin/e2e-count in dom0's initramfs).
 *
 *   e2e-count tap IFACE WINDOWS WIN_MS [FILE MAX_WINDOWS]
 *	An AF_PACKET receiver on IFACE (a vif) with PACKET_VNET_HDR: for every
 *	skb netback passed into dom0's stack (not dom0's own replies), the
 *	skb's gso_size comes with it, so the wire packets it stands for are
 *	counted exactly as netback charges them: ceil(TCP payload / gso_size)
 *	for a GSO skb, 1 for any other.  Prints one line per window:
 *	  W T_US SKBS SEGS BYTES GSO_SKBS MAXSEGS DROPS
 *	(BYTES: frame bytes with the Ethernet header, what the byte credit
 *	charges; DROPS: skbs the socket lost, from PACKET_STATISTICS; a run
 *	with drops undercounts and says so), then "TOTAL ..." with the same
 *	fields, plus the vif's rx_packets/rx_bytes change over the run, as a
 *	cross-check (rx_bytes has no Ethernet header: BYTES - 14 x SKBS).
 *	With FILE, windows go on after WINDOWS while FILE exists, up to
 *	MAX_WINDOWS: a measurement that lasts as long as an event takes
 *	(a fixed number of limit changes), not a fixed time.
 *   e2e-count sink PORT NPORTS
 *	Accepts TCP connections on PORT..PORT+NPORTS-1 of any address and
 *	discards what they send (1 MiB reads); runs until killed.
 *   e2e-count sample FILE INTERVAL_MS SECS
 *	Reads a counter file every INTERVAL_MS (absolute deadlines) and prints
 *	"T_US COUNT" per sample, T_US on CLOCK_MONOTONIC.
 *   e2e-count now
 *	Prints CLOCK_MONOTONIC in microseconds (to place an event among the
 *	samples).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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

struct win {
	unsigned long long skbs, segs, bytes, gso, maxsegs, drops;
};

static void win_add(struct win *t, const struct win *w)
{
	t->skbs += w->skbs;
	t->segs += w->segs;
	t->bytes += w->bytes;
	t->gso += w->gso;
	t->drops += w->drops;
	if (w->maxsegs > t->maxsegs)
		t->maxsegs = w->maxsegs;
}

/* The wire packets one received frame stands for, as netback charges them. */
static unsigned long long frame_segs(const struct virtio_net_hdr *vh,
				     const unsigned char *f, size_t caplen,
				     size_t len)
{
	unsigned int ihl, doff, gso = vh->gso_size;
	long payload;

	if (vh->gso_type == VIRTIO_NET_HDR_GSO_NONE || !gso)
		return 1;
	if (caplen < 14 + 20 || f[12] != 0x08 || f[13] != 0x00)
		return 1;
	ihl = (f[14] & 0x0f) * 4;
	if (f[14 + 9] != IPPROTO_TCP || caplen < 14 + ihl + 13)
		return 1;
	doff = (f[14 + ihl + 12] >> 4) * 4;
	payload = (long)len - 14 - ihl - doff;
	if (payload <= 0)
		return 1;
	return (payload + gso - 1) / gso;
}

static int tap(const char *ifname, int windows, int win_ms,
	       const char *until, int max_windows)
{
	unsigned char buf[sizeof(struct virtio_net_hdr) + 256];
	char path[256];
	struct win w = { 0 }, tot = { 0 };
	struct sockaddr_ll sll;
	struct tpacket_stats st;
	long long p0, b0, p1, b1, start, next;
	int fd, one = 1, rcv = 64 << 20, i = 0, n = windows;
	socklen_t sl;

	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0) {
		perror("e2e-count: socket");
		return 1;
	}
	if (setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) < 0) {
		perror("e2e-count: PACKET_VNET_HDR");
		return 1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = if_nametoindex(ifname);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fprintf(stderr, "e2e-count: cannot bind to %s\n", ifname);
		return 1;
	}
	/* Forget what queued before the bind took effect. */
	sl = sizeof(st);
	getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl);
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		;
	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/rx_packets", ifname);
	p0 = read_counter(path);
	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/rx_bytes", ifname);
	b0 = read_counter(path);
	setvbuf(stdout, NULL, _IOLBF, 0);
	start = now_us();
	next = start + win_ms * 1000LL;
	while (i < n) {
		long long t = now_us();
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (t >= next) {
			sl = sizeof(st);
			if (!getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl))
				w.drops = st.tp_drops;
			printf("W %lld %llu %llu %llu %llu %llu %llu\n", t - start,
			       w.skbs, w.segs, w.bytes, w.gso, w.maxsegs, w.drops);
			win_add(&tot, &w);
			memset(&w, 0, sizeof(w));
			next += win_ms * 1000LL;
			/* Whole windows only: FILE is looked at on a boundary. */
			if (++i == n && until && n < max_windows && !access(until, F_OK))
				n++;
			continue;
		}
		if (poll(&pfd, 1, (int)((next - t + 999) / 1000)) <= 0)
			continue;
		for (;;) {
			struct sockaddr_ll from;
			socklen_t fl = sizeof(from);
			struct virtio_net_hdr vh;
			ssize_t n, len;
			size_t cap;
			unsigned long long s;

			n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC,
				     (struct sockaddr *)&from, &fl);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				if (errno != EAGAIN)
					w.drops++;	/* e.g. a vnet header it cannot give */
				break;
			}
			if (from.sll_pkttype == PACKET_OUTGOING)
				continue;
			if (n < (ssize_t)sizeof(vh))
				continue;
			memcpy(&vh, buf, sizeof(vh));
			len = n - sizeof(vh);
			cap = len < 256 ? len : 256;
			s = frame_segs(&vh, buf + sizeof(vh), cap, len);
			w.skbs++;
			w.segs += s;
			w.bytes += len;
			if (vh.gso_type != VIRTIO_NET_HDR_GSO_NONE)
				w.gso++;
			if (s > w.maxsegs)
				w.maxsegs = s;
		}
	}
	b1 = read_counter(path);
	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/rx_packets", ifname);
	p1 = read_counter(path);
	printf("TOTAL %lld %llu %llu %llu %llu %llu %llu rx_packets %lld rx_bytes %lld\n",
	       now_us() - start, tot.skbs, tot.segs, tot.bytes, tot.gso,
	       tot.maxsegs, tot.drops, p1 - p0, b1 - b0);
	return 0;
}

static int sink(int port, int nports)
{
	struct pollfd pfd[256];
	static char buf[1 << 20];
	int n = 0, i, one = 1;

	for (i = 0; i < nports && n < 256; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_port = htons(port + i) };
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
		    listen(fd, 16) < 0) {
			perror("e2e-count: sink listen");
			return 1;
		}
		pfd[n].fd = fd;
		pfd[n].events = POLLIN;
		n++;
	}
	for (;;) {
		if (poll(pfd, n, -1) < 0)
			continue;
		for (i = 0; i < n; i++) {
			if (!pfd[i].revents)
				continue;
			if (i < nports) {
				int c = accept(pfd[i].fd, NULL, NULL);

				if (c >= 0 && n < 256) {
					pfd[n].fd = c;
					pfd[n].events = POLLIN;
					pfd[n].revents = 0;
					n++;
				} else if (c >= 0) {
					close(c);
				}
			} else if (read(pfd[i].fd, buf, sizeof(buf)) <= 0) {
				close(pfd[i].fd);
				pfd[i] = pfd[--n];
				i--;
			}
		}
	}
}

static int sample(const char *file, int ms, int secs)
{
	struct timespec next;
	long long end, t, c;

	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	clock_gettime(CLOCK_MONOTONIC, &next);
	end = now_us() + secs * 1000000LL;
	for (;;) {
		t = now_us();
		c = read_counter(file);
		printf("%lld %lld\n", t, c);
		if (t >= end)
			break;
		next.tv_nsec += ms * 1000000L;
		while (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
		/* A late wake-up is not made up by a burst of samples. */
		clock_gettime(CLOCK_MONOTONIC, &next);
	}
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "tap"))
		return tap(argv[2], atoi(argv[3]), atoi(argv[4]), NULL, 0);
	if (argc == 7 && !strcmp(argv[1], "tap"))
		return tap(argv[2], atoi(argv[3]), atoi(argv[4]), argv[5],
			   atoi(argv[6]));
	if (argc == 4 && !strcmp(argv[1], "sink"))
		return sink(atoi(argv[2]), atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "sample"))
		return sample(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc == 2 && !strcmp(argv[1], "now")) {
		printf("%lld\n", now_us());
		return 0;
	}
	fprintf(stderr, "usage: e2e-count tap IFACE WINDOWS WIN_MS [FILE MAX] | sink PORT NPORTS |"
		" sample FILE MS SECS | now\n");
	return 2;
}
