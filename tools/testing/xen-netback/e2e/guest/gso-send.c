// SPDX-License-Identifier: GPL-2.0
/*
 * e2e-gso-send: the guest's GSO flood for the e2e rig (built static by
 * lib.sh, /bin/e2e-gso-send in the guest's initramfs; guest/init runs it
 * when the kernel command line says e2e_mode=gso).
 *
 * Crafts TCP/IPv4 frames from 198.18.0.2 to 198.18.0.1 (a closed port:
 * dom0 answers with a RST at most) and sends them through an AF_PACKET
 * socket with PACKET_VNET_HDR, so that each frame carries a struct
 * virtio_net_hdr: gso_type TCPV4, gso_size anywhere from 1 to 65535,
 * hdr_len, csum_start and csum_offset set.  Frames are up to 64 KiB, built
 * by sendmsg from several iovecs; the guest kernel makes a paged skb of
 * them and netfront one ring slot per page piece.  Mixed in are shapes a
 * backend must survive: gso_size above the payload, tiny frames, a wrong
 * hdr_len, an IP total length shorter than the frame, a checksum offset the
 * guest kernel refuses.  The guest kernel raises gso_size to
 * TCP_MIN_GSO_SIZE (8) and sends a frame whose payload fits in one segment
 * as a plain frame; what it sent is counted that way.
 *
 *   e2e-gso-send IFACE REPORT_SECS
 *
 * Every REPORT_SECS prints one "e2e-gso: ..." line with the frames and wire
 * segments sent so far (segments: ceil(payload / gso_size) of a GSO frame,
 * 1 of any other) and the errors by kind.  Runs until killed or until
 * IFACE goes away.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define MAX_FRAME	65535		/* XEN_NETIF_MAX_TX_SIZE */
#define HDRS		(14 + 20 + 20)
#define MAX_PAYLOAD	(MAX_FRAME - HDRS)
#define MIN_GSO		8		/* TCP_MIN_GSO_SIZE of the guest kernel */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static uint32_t rnd_in(uint32_t lo, uint32_t hi)
{
	return lo + rnd() % (hi - lo + 1);
}

static uint16_t ip_csum(const void *p, int len)
{
	const uint16_t *w = p;
	uint32_t s = 0;

	for (; len > 1; len -= 2)
		s += *w++;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned char payload[MAX_PAYLOAD];

enum kind { K_GSO, K_GSO_BIG, K_TINY, K_PLAIN, K_HDRLEN, K_SHORT_IP,
	    K_BAD_CSUM, K_NR };
static const char *const kind_name[K_NR] = {
	"gso", "gso-size-over-payload", "tiny", "plain", "bad-hdr-len",
	"short-ip-len", "bad-csum-offset",
};

int main(int argc, char **argv)
{
	static const uint16_t sizes[] = { 1, 2, 8, 9, 64, 536, 1448, 1460,
					  4096, 9000, 16384, 32768, 65535 };
	unsigned long long sent[K_NR] = { 0 }, segs = 0, frames = 0, maxsegs = 0;
	unsigned long long e_inval = 0, e_nobufs = 0, e_msgsize = 0, e_other = 0;
	unsigned char src_mac[6] = { 0x00, 0x16, 0x3e, 0xe2, 0xe2, 0x00 };
	static const unsigned char dst_mac[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct sockaddr_ll sll;
	double next_report, report;
	uint32_t seq = 1;
	int fd, one = 1, sndbuf = 4 << 20;
	unsigned int ifindex;
	char path[128];
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: %s IFACE REPORT_SECS\n", argv[0]);
		return 2;
	}
	report = atof(argv[2]);
	ifindex = if_nametoindex(argv[1]);
	if (!ifindex) {
		fprintf(stderr, "e2e-gso: no %s\n", argv[1]);
		return 1;
	}
	snprintf(path, sizeof(path), "/sys/class/net/%s/address", argv[1]);
	f = fopen(path, "r");
	if (f) {
		unsigned int m[6];

		if (fscanf(f, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3],
			   &m[4], &m[5]) == 6)
			for (int i = 0; i < 6; i++)
				src_mac[i] = m[i];
		fclose(f);
	}
	fd = socket(AF_PACKET, SOCK_RAW, 0);	/* protocol 0: send only */
	if (fd < 0 || setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) < 0) {
		perror("e2e-gso: socket/PACKET_VNET_HDR");
		return 1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = ifindex;
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, dst_mac, 6);
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (unsigned char)(i * 7);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("e2e-gso: sending on %s (ifindex %u)\n", argv[1], ifindex);
	next_report = now_s() + report;

	for (;;) {
		struct virtio_net_hdr vh;
		unsigned char hdr[HDRS];
		struct iovec iov[16];
		struct msghdr msg;
		uint32_t r = rnd() % 100, plen, gso = 0, iplen, k;
		enum kind kind;
		int niov = 0, tiny = 0;
		unsigned long long s = 1;
		ssize_t n;

		/* 70% well-formed GSO, 30% odd shapes. */
		if (r < 70)
			kind = K_GSO;
		else if (r < 76)
			kind = K_GSO_BIG;
		else if (r < 82)
			kind = K_TINY;
		else if (r < 88)
			kind = K_PLAIN;
		else if (r < 92)
			kind = K_HDRLEN;
		else if (r < 96)
			kind = K_SHORT_IP;
		else
			kind = K_BAD_CSUM;

		memset(&vh, 0, sizeof(vh));
		switch (kind) {
		case K_PLAIN:
			plen = rnd_in(0, 1460);
			break;
		case K_TINY:
			tiny = rnd_in(14, 59);
			plen = 0;
			break;
		case K_GSO_BIG:
			plen = rnd_in(1, 2000);
			gso = rnd_in(plen, 65535);
			break;
		default:
			plen = rnd() % 4 == 0 ? MAX_PAYLOAD : rnd_in(1, MAX_PAYLOAD);
			gso = rnd() % 3 ? sizes[rnd() % (sizeof(sizes) / sizeof(sizes[0]))] :
					  rnd_in(1, 65535);
			break;
		}
		if (gso) {
			vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
			vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
			vh.gso_size = gso;
			vh.hdr_len = HDRS;
			vh.csum_start = 14 + 20;
			vh.csum_offset = 16;
			if (kind == K_HDRLEN)
				vh.hdr_len = rnd() % 2 ? 0 : rnd_in(HDRS + 1, 4000);
			if (kind == K_BAD_CSUM)
				vh.csum_offset = rnd_in(0, 15) & ~1;
		} else if (kind == K_PLAIN) {
			vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
			vh.csum_start = 14 + 20;
			vh.csum_offset = 16;
		}

		/* Ethernet, IPv4, TCP (no options). */
		memset(hdr, 0, sizeof(hdr));
		memcpy(hdr, dst_mac, 6);
		memcpy(hdr + 6, src_mac, 6);
		hdr[12] = 0x08;
		iplen = 20 + 20 + plen;
		if (kind == K_SHORT_IP)
			iplen = 40 + plen / 2;
		hdr[14] = 0x45;
		hdr[16] = iplen >> 8;
		hdr[17] = iplen & 0xff;
		hdr[20] = 0x40;			/* DF */
		hdr[22] = 64;
		hdr[23] = IPPROTO_TCP;
		hdr[26] = 198; hdr[27] = 18; hdr[28] = 0; hdr[29] = 2;
		hdr[30] = 198; hdr[31] = 18; hdr[32] = 0; hdr[33] = 1;
		{
			uint16_t c = ip_csum(hdr + 14, 20);

			memcpy(hdr + 24, &c, 2);
		}
		hdr[34] = 0x9c; hdr[35] = 0x40;	/* sport 40000 */
		hdr[36] = 0; hdr[37] = 9;	/* dport 9: closed */
		hdr[38] = seq >> 24; hdr[39] = seq >> 16; hdr[40] = seq >> 8; hdr[41] = seq;
		hdr[46] = 0x50;			/* doff 5 */
		hdr[47] = 0x18;			/* PSH ACK */
		hdr[48] = 0xff; hdr[49] = 0xff;	/* window */
		seq += plen;

		iov[niov].iov_base = &vh;
		iov[niov++].iov_len = sizeof(vh);
		if (tiny) {
			iov[niov].iov_base = hdr;
			iov[niov++].iov_len = tiny;
		} else {
			/* Headers split in two pieces, payload in up to 13. */
			k = rnd_in(1, HDRS - 1);
			iov[niov].iov_base = hdr;
			iov[niov++].iov_len = k;
			iov[niov].iov_base = hdr + k;
			iov[niov++].iov_len = HDRS - k;
			for (uint32_t off = 0; off < plen;) {
				uint32_t left = plen - off, c;

				c = niov == 15 ? left : rnd_in(1, left < 9000 ? left : 9000);
				iov[niov].iov_base = payload + off;
				iov[niov++].iov_len = c;
				off += c;
			}
		}
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &sll;
		msg.msg_namelen = sizeof(sll);
		msg.msg_iov = iov;
		msg.msg_iovlen = niov;
		n = sendmsg(fd, &msg, 0);
		if (n < 0) {
			switch (errno) {
			case EINVAL: e_inval++; break;
			case ENOBUFS: e_nobufs++; usleep(200); break;
			case EMSGSIZE: e_msgsize++; break;
			case ENODEV: case ENXIO: case ENETDOWN:
				printf("e2e-gso: %s gone (%s)\n", argv[1], strerror(errno));
				return 1;
			default: e_other++; break;
			}
		} else {
			/* What the guest kernel makes of it (virtio_net_hdr_to_skb). */
			uint32_t g = gso < MIN_GSO ? MIN_GSO : gso;

			if (gso && plen > g)
				s = (plen + g - 1) / g;
			sent[kind]++;
			frames++;
			segs += s;
			if (s > maxsegs)
				maxsegs = s;
		}
		if (now_s() >= next_report) {
			printf("e2e-gso: frames %llu segs %llu maxsegs %llu", frames, segs, maxsegs);
			for (int i = 0; i < K_NR; i++)
				printf(" %s=%llu", kind_name[i], sent[i]);
			printf(" err: EINVAL=%llu ENOBUFS=%llu EMSGSIZE=%llu other=%llu\n",
			       e_inval, e_nobufs, e_msgsize, e_other);
			next_report += report;
		}
	}
}
