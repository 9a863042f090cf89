/*
 * nop_icmp: ICMP echo sockets for nop-agent, as a small N-API addon.
 *
 *   open(family 4|6, mode 'auto'|'dgram'|'raw', onPackets(err, count, fields, from))
 *     -> { handle, kind: 'dgram'|'raw', identifier }
 *   send(handle, address, sequence, payloadBytes, ttl (-1 = default), dontFragment) -> sentNs
 *   close(handle)
 *
 * One non-blocking socket serves every echo of a family. 'auto' tries the unprivileged ICMP
 * datagram socket first (allowed by net.ipv4.ping_group_range; the kernel then owns the
 * identifier, the checksum and demultiplexing) and falls back to a raw socket (CAP_NET_RAW).
 * libuv polls the fd; each wakeup drains every queued datagram with recvmmsg (and, on datagram
 * sockets when EPOLLERR says so, the error queue, where the kernel puts ICMP errors quoting our
 * echoes) and hands JS the whole batch in one call: `fields`, a Float64Array (the socket's own,
 * reused) of PACKET_FIELDS numbers per packet (type, code, id, seq, rxNs, ttl, error), and `from`,
 * an array of the senders' addresses: no JS object per packet. Raw sockets see every ICMP
 * message of the host: an ICMP filter keeps out all but replies and errors, and replies
 * carrying another identifier are dropped here. Every syscall's failure becomes an
 * Error whose .code is the errno's name (EPERM, EMSGSIZE, ...).
 *
 * Times: SO_TIMESTAMPNS gives the kernel's receive time (CLOCK_REALTIME), so send() reads
 * CLOCK_REALTIME right before sendto(). Both are returned as nanoseconds since the socket's
 * epoch (whole seconds of CLOCK_REALTIME at open) in a double: exact up to 2^53 ns (104 days),
 * after that a few ns of rounding, which the millisecond RTTs do not see.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "napi-common.h"
#include "poll-socket.h"

#define RX_BATCH 64          /* datagrams per recvmmsg() */
#define RX_SLOT 512          /* bytes kept per datagram: IP + ICMP + quoted IP + ICMP fit */
#define CTL_SLOT 256         /* control bytes per datagram (timestamp, ttl, extended error) */
#define MAX_DRAIN 65536      /* datagrams per wakeup at most; the poll fires again if more */
#define MAX_PAYLOAD 65000    /* the protocol's largest `size` */
#define RCVBUF (8 << 20)     /* room for a burst of thousands of replies */
#define SOL_RAW_ICMP_FILTER 1 /* ICMP_FILTER of <linux/icmp.h>, which clashes with glibc's */


/* One received message, parsed, waiting for the batch to go to JS. */
typedef struct {
  int type, code, id, seq, ttl, error;
  double rx_ns;
  char from[INET6_ADDRSTRLEN];
} rx_packet;

#define PACKET_FIELDS 7 /* numbers per packet in the Float64Array handed to JS */

typedef struct {
  poll_sock base;  /* first: a poll_sock * is an icmp_sock * */
  int family;      /* 4 or 6 */
  int dgram;       /* 1: SOCK_DGRAM ICMP socket, 0: SOCK_RAW */
  uint16_t ident;  /* echo identifier (datagram: the kernel's, = the bound "port") */
  int ttl;         /* TTL / hop limit currently set, -1 = kernel default */
  int df;          /* Don't Fragment currently set */
  rx_packet *rx;   /* this wakeup's parsed packets (grows as needed, up to MAX_DRAIN) */
  uint32_t rx_cap;
  napi_ref fields;     /* the Float64Array handed to onPackets, reused while big enough */
  double *fields_data;
  uint32_t fields_cap; /* packets it holds */
  unsigned char tx[8 + MAX_PAYLOAD];
  struct mmsghdr msgs[RX_BATCH];
  struct iovec iov[RX_BATCH];
  struct sockaddr_storage from[RX_BATCH];
  unsigned char data[RX_BATCH][RX_SLOT];
  unsigned char ctl[RX_BATCH][CTL_SLOT];
} icmp_sock;


/* ---- helpers ------------------------------------------------------------------------------ */


static uint16_t checksum(const unsigned char *p, size_t len) {
  uint32_t sum = 0;
  for (; len > 1; p += 2, len -= 2) sum += (uint32_t)p[0] << 8 | p[1];
  if (len) sum += (uint32_t)p[0] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t)~sum;
}

/* ---- receiving ---------------------------------------------------------------------------- */

typedef struct {
  int type, code, id, seq, ttl, error;
  double rx_ns;
  const struct sockaddr *from;
} packet;

/* Keeps one parsed packet for this wakeup's batch (dropped only if memory runs out). */
static void push(icmp_sock *s, uint32_t *n, const packet *p) {
  if (*n == s->rx_cap) {
    uint32_t cap = s->rx_cap ? s->rx_cap * 2 : 256;
    rx_packet *grown = realloc(s->rx, cap * sizeof *grown);
    if (!grown) return;
    s->rx = grown, s->rx_cap = cap;
  }
  rx_packet *r = &s->rx[(*n)++];
  r->type = p->type, r->code = p->code, r->id = p->id, r->seq = p->seq, r->ttl = p->ttl, r->error = p->error;
  r->rx_ns = p->rx_ns;
  r->from[0] = '\0';
  if (p->from && p->from->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)p->from)->sin_addr, r->from, sizeof r->from);
  else if (p->from && p->from->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)p->from)->sin6_addr, r->from, sizeof r->from);
}

/* Kernel receive time, reply TTL and (error queue) the extended error, from the control data. */
static const struct sock_extended_err *read_cmsgs(icmp_sock *s, struct msghdr *m, packet *p) {
  const struct sock_extended_err *ee = NULL;
  struct timespec now;
  int have_ts = 0;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      struct timespec ts;
      memcpy(&ts, CMSG_DATA(c), sizeof ts);
      p->rx_ns = ns_since(&s->base, &ts), have_ts = 1;
    } else if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
               (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)) {
      memcpy(&p->ttl, CMSG_DATA(c), sizeof p->ttl);
    } else if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
               (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
      ee = (const struct sock_extended_err *)CMSG_DATA(c);
    }
  }
  if (!have_ts && clock_gettime(CLOCK_REALTIME, &now) == 0) p->rx_ns = ns_since(&s->base, &now);
  return ee;
}

static int is_error_type(int family, int type) {
  return family == 4 ? (type == 3 || type == 11 || type == 12) : (type >= 1 && type <= 4);
}

/* One datagram of the normal queue: an echo reply, or (raw sockets) an ICMP error quoting one. */
static void parse_reply(icmp_sock *s, uint32_t *n, struct msghdr *m, size_t len) {
  packet p = {.ttl = -1, .from = (const struct sockaddr *)m->msg_name};
  const unsigned char *icmp = m->msg_iov[0].iov_base;
  read_cmsgs(s, m, &p);
  if (len > RX_SLOT) len = RX_SLOT; /* truncated: only the headers matter */
  if (s->family == 4 && !s->dgram) {  /* an IPv4 raw socket hands over the IP header too */
    size_t ihl = (size_t)(icmp[0] & 0x0f) * 4;
    if (len < 20 || ihl < 20 || len < ihl + 8) return;
    if (p.ttl < 0) p.ttl = icmp[8];
    icmp += ihl, len -= ihl;
  }
  if (len < 8) return;
  p.type = icmp[0], p.code = icmp[1];
  if (p.type == (s->family == 4 ? 0 : 129)) {
    p.id = icmp[4] << 8 | icmp[5], p.seq = icmp[6] << 8 | icmp[7];
    if (!s->dgram && p.id != s->ident) return; /* another process's echo */
    push(s, n, &p);
    return;
  }
  if (s->dgram || !is_error_type(s->family, p.type)) return;
  /* An ICMP error quotes the datagram that caused it: find our echo request inside. */
  const unsigned char *inner = icmp + 8;
  size_t left = len - 8;
  size_t skip = s->family == 4 ? (size_t)(left ? (inner[0] & 0x0f) * 4 : 0) : 40;
  if (left < skip + 8) return;
  inner += skip;
  if (inner[0] != (s->family == 4 ? 8 : 128)) return;
  p.id = inner[4] << 8 | inner[5], p.seq = inner[6] << 8 | inner[7], p.error = 1;
  if (p.id != s->ident) return;
  push(s, n, &p);
}

/* Datagram sockets: ICMP errors arrive on the error queue, the payload being our own echo. */
static int drain_errqueue(icmp_sock *s, uint32_t *n) {
  for (int i = 0; i < MAX_DRAIN; i++) {
    unsigned char data[64], ctl[512];
    struct sockaddr_storage from;
    struct iovec iov = {data, sizeof data};
    struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov,
                       .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
    ssize_t len = recvmsg(s->base.fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT);
    if (len < 0) {
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : errno;
    }
    packet p = {.ttl = -1};
    const struct sock_extended_err *ee = read_cmsgs(s, &m, &p);
    /* Local errors (EMSGSIZE on a DF send, ...) were already returned by sendto(). */
    if (!ee || len < 8 || (ee->ee_origin != SO_EE_ORIGIN_ICMP && ee->ee_origin != SO_EE_ORIGIN_ICMP6))
      continue;
    p.type = ee->ee_type, p.code = ee->ee_code, p.error = 1;
    p.id = data[4] << 8 | data[5], p.seq = data[6] << 8 | data[7];
    p.from = SO_EE_OFFENDER(ee);
    push(s, n, &p);
  }
  return 0;
}


static int drain(icmp_sock *s, uint32_t *n) {
  for (int total = 0; total < MAX_DRAIN;) {
    for (int i = 0; i < RX_BATCH; i++) {
      s->iov[i] = (struct iovec){s->data[i], RX_SLOT};
      s->msgs[i].msg_hdr = (struct msghdr){
          .msg_name = &s->from[i], .msg_namelen = sizeof s->from[i], .msg_iov = &s->iov[i],
          .msg_iovlen = 1, .msg_control = s->ctl[i], .msg_controllen = CTL_SLOT};
      s->msgs[i].msg_len = 0;
    }
    int got = recvmmsg(s->base.fd, s->msgs, RX_BATCH, MSG_DONTWAIT, NULL);
    if (got < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
      if (errno == EINTR || (s->dgram && latched(errno))) { /* cleared by this read: go on */
        total++;
        continue;
      }
      return errno;
    }
    for (int i = 0; i < got; i++) parse_reply(s, n, &s->msgs[i].msg_hdr, s->msgs[i].msg_len);
    total += got;
    if (got < RX_BATCH) break;
  }
  return 0;
}

/* The batch as (count, Float64Array of PACKET_FIELDS per packet, array of sender addresses). The
 * Float64Array is the socket's own, reused from one wakeup to the next (no ArrayBuffer per
 * wakeup): JS reads it during the callback only. */
static int batch_to_js(icmp_sock *s, uint32_t n, napi_value *count, napi_value *fields, napi_value *from) {
  napi_env env = s->base.env;
  napi_value str = NULL;
  const char *last = NULL;
  if (n > s->fields_cap || !s->fields) {
    uint32_t cap = n > 256 ? n : 256;
    void *data = NULL;
    napi_value buffer;
    if (napi_create_arraybuffer(env, (size_t)cap * PACKET_FIELDS * sizeof(double), &data, &buffer) != napi_ok ||
        napi_create_typedarray(env, napi_float64_array, (size_t)cap * PACKET_FIELDS, buffer, 0, fields) != napi_ok)
      return -1;
    if (s->fields) napi_delete_reference(env, s->fields), s->fields = NULL;
    if (napi_create_reference(env, *fields, 1, &s->fields) != napi_ok) return -1;
    s->fields_data = data, s->fields_cap = cap;
  } else if (napi_get_reference_value(env, s->fields, fields) != napi_ok || !*fields) {
    return -1;
  }
  if (napi_create_uint32(env, n, count) != napi_ok || napi_create_array_with_length(env, n, from) != napi_ok)
    return -1;
  double *f = s->fields_data;
  for (uint32_t i = 0; i < n; i++, f += PACKET_FIELDS) {
    const rx_packet *r = &s->rx[i];
    f[0] = r->type, f[1] = r->code, f[2] = r->id, f[3] = r->seq, f[4] = r->rx_ns, f[5] = r->ttl, f[6] = r->error;
    /* Replies from one host often come in a row (count > 1): one string for the run. */
    if (!last || strcmp(last, r->from) != 0) {
      if (napi_create_string_latin1(env, r->from, NAPI_AUTO_LENGTH, &str) != napi_ok) return -1;
      last = r->from;
    }
    if (napi_set_element(env, *from, i, str) != napi_ok) return -1;
  }
  return 0;
}

static void call_js(icmp_sock *s, napi_value err, uint32_t n) {
  napi_value argv[4] = {err};
  if (batch_to_js(s, n, &argv[1], &argv[2], &argv[3]) != 0) return;
  poll_call_js(&s->base, 4, argv);
}

static void on_poll(uv_poll_t *handle, int status, int events) {
  icmp_sock *s = handle->data;
  if (s->base.closing) return;
  int restart = poll_error_wakeup(&s->base, status); /* drain, clear, and poll again */
  int fail = status < 0 && !restart ? -status : 0;
  napi_handle_scope scope;
  if (napi_open_handle_scope(s->base.env, &scope) != napi_ok) return;
  napi_value err;
  uint32_t n = 0;
  napi_get_null(s->base.env, &err);
  if (!fail && s->dgram && restart) fail = drain_errqueue(s, &n); /* only EPOLLERR says it has some */
  if (!fail) fail = drain(s, &n);
  if (!fail && restart) fail = poll_rearm(&s->base, n, on_poll);
  if (n > 0) s->base.empty_errors = 0;
  if (fail) err = errno_error(s->base.env, "ICMP socket receive failed", fail);
  if (n > 0 || fail) call_js(s, err, n);
  napi_close_handle_scope(s->base.env, scope);
}

/* ---- lifetime (poll-socket.h) ------------------------------------------------------------ */

static void release_fields(poll_sock *base) {
  icmp_sock *s = (icmp_sock *)base;
  if (s->fields) napi_delete_reference(base->env, s->fields), s->fields = NULL;
}

static void free_rx(poll_sock *base) { free(((icmp_sock *)base)->rx); }

/* ---- open --------------------------------------------------------------------------------- */

/* Socket options; returns 0 or sets *what and returns errno. */
static int configure(int fd, int family, int dgram, const char **what) {
  int big = RCVBUF;
#define TRY(label, call)  \
  do {                    \
    if ((call) != 0) {    \
      *what = (label);    \
      return errno;       \
    }                     \
  } while (0)
  TRY("SO_TIMESTAMPNS", set_int(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1));
  /* Over net.core.rmem_max needs CAP_NET_ADMIN; unprivileged, the plain option caps it. */
  if (set_int(fd, SOL_SOCKET, SO_RCVBUFFORCE, big) != 0) {
    TRY("SO_RCVBUF", set_int(fd, SOL_SOCKET, SO_RCVBUF, big));
  }
  TRY("SO_SNDBUF", set_int(fd, SOL_SOCKET, SO_SNDBUF, 1 << 20));
  if (family == 4) {
    TRY("IP_MTU_DISCOVER", set_int(fd, IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT));
    if (dgram) {
      /* A raw IPv4 socket reads the TTL from the IP header it gets: no control message needed. */
      TRY("IP_RECVTTL", set_int(fd, IPPROTO_IP, IP_RECVTTL, 1));
      TRY("IP_RECVERR", set_int(fd, IPPROTO_IP, IP_RECVERR, 1));
    } else {
      /* Only echo reply, unreachable, time exceeded, parameter problem wake us up. */
      uint32_t blocked = ~(uint32_t)(1u << 0 | 1u << 3 | 1u << 11 | 1u << 12);
      TRY("ICMP_FILTER", setsockopt(fd, SOL_RAW, SOL_RAW_ICMP_FILTER, &blocked, sizeof blocked));
    }
  } else {
    TRY("IPV6_RECVHOPLIMIT", set_int(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1));
    if (dgram) {
      TRY("IPV6_RECVERR", set_int(fd, IPPROTO_IPV6, IPV6_RECVERR, 1));
    } else {
      struct icmp6_filter filter;
      ICMP6_FILTER_SETBLOCKALL(&filter);
      ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
      ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &filter);
      ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &filter);
      ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &filter);
      ICMP6_FILTER_SETPASS(ICMP6_PARAM_PROB, &filter);
      TRY("ICMP6_FILTER", setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter));
    }
  }
#undef TRY
  return 0;
}

static int random_u16(uint16_t *out) {
  ssize_t got;
  do got = getrandom(out, sizeof *out, 0);
  while (got < 0 && errno == EINTR);
  return got == (ssize_t)sizeof *out ? 0 : (got < 0 ? errno : EIO);
}

/* Datagram socket: bind to a random identifier (retrying a taken one), then read it back. */
static int bind_ident(int fd, int family, uint16_t *ident) {
  struct sockaddr_storage ss;
  socklen_t len;
  int err = 0;
  for (int attempt = 0; attempt <= 16; attempt++) {
    uint16_t port = 0;
    if (attempt < 16 && (err = random_u16(&port)) != 0) return err;
    memset(&ss, 0, sizeof ss);
    if (family == 4) {
      struct sockaddr_in *a = (struct sockaddr_in *)&ss;
      a->sin_family = AF_INET, a->sin_port = htons(port), len = sizeof *a;
    } else {
      struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
      a->sin6_family = AF_INET6, a->sin6_port = htons(port), len = sizeof *a;
    }
    if (bind(fd, (struct sockaddr *)&ss, len) == 0) break;
    if (errno != EADDRINUSE || attempt == 16) return errno; /* 16 misses: let the kernel pick */
  }
  len = sizeof ss;
  if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) return errno;
  *ident = ntohs(family == 4 ? ((struct sockaddr_in *)&ss)->sin_port : ((struct sockaddr_in6 *)&ss)->sin6_port);
  return 0;
}

static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], result, v;
  int32_t family = 0;
  char mode[8] = "";
  napi_valuetype cbtype;
  NAPI_OK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3 || napi_get_value_int32(env, argv[0], &family) != napi_ok || (family != 4 && family != 6) ||
      napi_get_value_string_utf8(env, argv[1], mode, sizeof mode, NULL) != napi_ok ||
      napi_typeof(env, argv[2], &cbtype) != napi_ok || cbtype != napi_function) {
    napi_throw_type_error(env, NULL, "open(family: 4|6, mode: 'auto'|'dgram'|'raw', onPackets)");
    return NULL;
  }
  int domain = family == 4 ? AF_INET : AF_INET6, proto = family == 4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
  int fd = -1, dgram = 0, derr = 0, rerr = 0;
  if (strcmp(mode, "raw") != 0) {
    fd = socket(domain, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
    if (fd >= 0) dgram = 1;
    else derr = errno;
  }
  if (fd < 0 && strcmp(mode, "dgram") != 0) {
    fd = socket(domain, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
    if (fd < 0) rerr = errno;
  }
  if (fd < 0) {
    char text[300];
    int err = rerr ? rerr : derr;
    if (derr && rerr)
      snprintf(text, sizeof text, "cannot open an ICMP socket: datagram: %s (%s); raw: %s (%s)", strerror(derr),
               errno_name(derr), strerror(rerr), errno_name(rerr));
    else
      snprintf(text, sizeof text, "cannot open an ICMP %s socket: %s", derr ? "datagram" : "raw", strerror(err));
    napi_throw_error(env, errno_name(err), text);
    return NULL;
  }
  const char *what = "";
  uint16_t ident = 0;
  int err = configure(fd, family, dgram, &what);
  if (!err && (err = dgram ? bind_ident(fd, family, &ident) : random_u16(&ident)) != 0) what = "choosing the identifier";
  struct timespec now;
  if (!err && clock_gettime(CLOCK_REALTIME, &now) != 0) err = errno, what = "clock_gettime";
  icmp_sock *s = err ? NULL : calloc(1, sizeof *s);
  if (!err && !s) err = ENOMEM, what = "allocating the socket";
  if (err) {
    close(fd);
    char text[120];
    snprintf(text, sizeof text, "cannot set up the ICMP socket (%s)", what);
    return throw_errno(env, text, err);
  }
  s->base.env = env, s->base.fd = fd, s->family = family, s->dgram = dgram, s->ident = ident;
  s->ttl = -1, s->df = 0, s->base.epoch_s = now.tv_sec;
  for (int i = 8; i < (int)sizeof s->tx; i++) s->tx[i] = (unsigned char)i; /* payload pattern */

  s->base.on_release = release_fields, s->base.on_free = free_rx;
  napi_value handle = poll_start(env, &s->base, UV_READABLE, on_poll, argv[2], "nop-icmp-socket");
  if (!handle) return NULL;
  NAPI_OK(env, napi_create_object(env, &result));
  NAPI_OK(env, napi_set_named_property(env, result, "handle", handle));
  NAPI_OK(env, napi_create_string_utf8(env, dgram ? "dgram" : "raw", NAPI_AUTO_LENGTH, &v));
  NAPI_OK(env, napi_set_named_property(env, result, "kind", v));
  NAPI_OK(env, napi_create_int32(env, ident, &v));
  NAPI_OK(env, napi_set_named_property(env, result, "identifier", v));
  return result;
}

/* ---- send --------------------------------------------------------------------------------- */

static napi_value js_send(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  char address[INET6_ADDRSTRLEN + IF_NAMESIZE + 2] = "";
  int32_t seq, size, ttl;
  bool df;
  NAPI_OK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 6) return napi_throw_type_error(env, NULL, "send(handle, address, seq, size, ttl, df)"), NULL;
  icmp_sock *s = (icmp_sock *)poll_unbox(env, argv[0], "ICMP socket");
  if (!s) return NULL;
  NAPI_OK(env, napi_get_value_string_utf8(env, argv[1], address, sizeof address, NULL));
  NAPI_OK(env, napi_get_value_int32(env, argv[2], &seq));
  NAPI_OK(env, napi_get_value_int32(env, argv[3], &size));
  NAPI_OK(env, napi_get_value_int32(env, argv[4], &ttl));
  NAPI_OK(env, napi_get_value_bool(env, argv[5], &df));
  if (size < 0 || size > MAX_PAYLOAD || (ttl != -1 && (ttl < 1 || ttl > 255)))
    return napi_throw_range_error(env, NULL, "size must be 0-65000 and ttl 1-255 (or -1)"), NULL;

  struct sockaddr_storage to;
  socklen_t tolen;
  memset(&to, 0, sizeof to);
  if (s->family == 4) {
    struct sockaddr_in *a = (struct sockaddr_in *)&to;
    a->sin_family = AF_INET, tolen = sizeof *a;
    if (inet_pton(AF_INET, address, &a->sin_addr) != 1)
      return napi_throw_error(env, "EINVAL", "not an IPv4 address"), NULL;
  } else {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&to;
    char *zone = strchr(address, '%');
    a->sin6_family = AF_INET6, tolen = sizeof *a;
    if (zone) {
      *zone++ = '\0';
      a->sin6_scope_id = if_nametoindex(zone);
      if (!a->sin6_scope_id) a->sin6_scope_id = (uint32_t)strtoul(zone, NULL, 10);
      if (!a->sin6_scope_id) return napi_throw_error(env, "EINVAL", "unknown IPv6 zone"), NULL;
    }
    if (inet_pton(AF_INET6, address, &a->sin6_addr) != 1)
      return napi_throw_error(env, "EINVAL", "not an IPv6 address"), NULL;
  }

  /* Per-echo TTL / DF are socket options: set them only when they change (one thread sends). */
  if (ttl != s->ttl) {
    int r = s->family == 4 ? set_int(s->base.fd, IPPROTO_IP, IP_TTL, ttl) : set_int(s->base.fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl);
    if (r != 0) return throw_errno(env, "cannot set the TTL", errno);
    s->ttl = ttl;
  }
  if ((int)df != s->df) {
    int r = s->family == 4 ? set_int(s->base.fd, IPPROTO_IP, IP_MTU_DISCOVER, df ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT)
                           : set_int(s->base.fd, IPPROTO_IPV6, IPV6_DONTFRAG, df ? 1 : 0);
    if (r != 0) return throw_errno(env, "cannot set Don't Fragment", errno);
    s->df = df;
  }

  unsigned char *p = s->tx;
  size_t len = 8 + (size_t)size;
  p[0] = s->family == 4 ? 8 : 128, p[1] = 0, p[2] = p[3] = 0;
  p[4] = s->ident >> 8, p[5] = s->ident & 0xff; /* datagram sockets: the kernel writes its own */
  p[6] = (seq >> 8) & 0xff, p[7] = seq & 0xff;
  if (s->family == 4 && !s->dgram) { /* the kernel checksums datagram and ICMPv6 sockets */
    uint16_t sum = checksum(p, len);
    p[2] = sum >> 8, p[3] = sum & 0xff;
  }

  /* A datagram socket with IP_RECVERR also latches the last ICMP error (for any target) and
   * fails the next send with it once; a raw socket does not. */
  return send_stamped(env, &s->base, p, len, (struct sockaddr *)&to, tolen, s->dgram ? 1 : 0, "sendto");
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", NULL, js_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"send", NULL, js_send, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, poll_js_close, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  NAPI_OK(env, napi_define_properties(env, exports, sizeof props / sizeof *props, props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
