/*
 * nop_errqueue: traceroute probes on ordinary (unprivileged) UDP sockets, as a small N-API addon.
 *
 *   open(family 4|6, address, port, onEvents(err, events[]), protocol "udp"|"icmp") -> { handle, localPort }
 *   send(handle, ttl 1-255, payload: Buffer) -> sentNs
 *   connectTcp(family, address, port, localPort 0|1-65535, ttl, onEvents) -> { handle, localPort, sentNs }
 *   close(handle)
 *
 * One non-blocking UDP socket per flow, bound to a kernel-chosen port and connected to
 * address:port, so every probe of the flow has the same 5-tuple (Paris traceroute). IP_RECVERR /
 * IPV6_RECVERR make the kernel queue every ICMP error about our datagrams on the socket's error
 * queue: the router that sent it (SO_EE_OFFENDER), the ICMP type and code, and the payload of the
 * datagram it quotes (which tells the probes apart). libuv polls the fd; EPOLLERR wakeups drain
 * the error queue with recvmsg(MSG_ERRQUEUE), readable ones the normal queue (a UDP reply from the
 * destination). JS gets one array of { error, from, origin, type, code, data, rxNs } per wakeup.
 * No raw socket, so no root/CAP_NET_RAW. Every syscall's failure becomes an Error whose .code is
 * the errno's name.
 *
 * ICMP echo probes (open with "icmp") use an ICMP datagram socket ("ping socket": allowed when
 * net.ipv4.ping_group_range covers the process's group, EACCES otherwise) the same way: the
 * kernel owns the identifier (localPort) and the checksum, queues ICMP errors quoting our echoes
 * on the error queue, and delivers only the echo replies carrying our identifier.
 *
 * TCP SYN probes (connectTcp) need no raw socket either: one non-blocking TCP socket per probe,
 * its TTL set before connect(), IP_RECVERR on. A router's time exceeded about the SYN lands on the
 * socket's error queue (the kernel does this for sockets in SYN-SENT); the destination answers
 * with a SYN-ACK (connected: type 0) or a RST (refused: type 1), both reported as non-error
 * events. One event per probe, then the socket is aborted (connect(AF_UNSPEC): no FIN, no
 * TIME-WAIT), which frees its 4-tuple at once for the flow's next probe: a flow keeps its source
 * port (Paris) by binding each probe to it, so its probes go one at a time.
 *
 * Times: SO_TIMESTAMPNS gives the kernel's receive time (CLOCK_REALTIME, error queue included),
 * send() reads CLOCK_REALTIME right before send(); both in ns since the socket's epoch (whole
 * seconds of CLOCK_REALTIME at open) in a double.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "napi-common.h"
#include "poll-socket.h"

#define DATA_SLOT 512   /* bytes kept of a quoted payload / a reply */
#define CTL_SLOT 512    /* control bytes (timestamp, extended error + offender) */
#define MAX_DRAIN 4096  /* messages per queue per wakeup at most; the poll fires again if more */
#define MAX_PAYLOAD 1400

typedef struct {
  poll_sock base; /* first: a poll_sock * is an eq_sock * */
  int family;
  int ttl;
  int tcp;        /* a TCP SYN probe (connectTcp) rather than a UDP flow */
  double sent_ns; /* tcp: when connect() sent the SYN */
} eq_sock;

/* ---- receiving ---------------------------------------------------------------------------- */

typedef struct {
  int error, origin, type, code;
  double rx_ns;
  const struct sockaddr *from;
  const unsigned char *data;
  size_t len;
} event;

static void push(eq_sock *s, napi_value arr, uint32_t *n, const event *e) {
  napi_env env = s->base.env;
  napi_value obj, v;
  char addr[INET6_ADDRSTRLEN] = "";
  void *copy = NULL;
  if (napi_create_object(env, &obj) != napi_ok) return;
  if (e->from && e->from->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)e->from)->sin_addr, addr, sizeof addr);
  else if (e->from && e->from->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)e->from)->sin6_addr, addr, sizeof addr);
  napi_get_boolean(env, e->error, &v), napi_set_named_property(env, obj, "error", v);
  napi_create_string_latin1(env, addr, NAPI_AUTO_LENGTH, &v), napi_set_named_property(env, obj, "from", v);
  napi_create_int32(env, e->origin, &v), napi_set_named_property(env, obj, "origin", v);
  napi_create_int32(env, e->type, &v), napi_set_named_property(env, obj, "type", v);
  napi_create_int32(env, e->code, &v), napi_set_named_property(env, obj, "code", v);
  if (napi_create_buffer_copy(env, e->len, e->data, &copy, &v) == napi_ok)
    napi_set_named_property(env, obj, "data", v);
  napi_create_double(env, e->rx_ns, &v), napi_set_named_property(env, obj, "rxNs", v);
  napi_set_element(env, arr, (*n)++, obj);
}

static const struct sock_extended_err *read_cmsgs(eq_sock *s, struct msghdr *m, event *e) {
  const struct sock_extended_err *ee = NULL;
  int have_ts = 0;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      struct timespec ts;
      memcpy(&ts, CMSG_DATA(c), sizeof ts);
      e->rx_ns = ns_since(&s->base, &ts), have_ts = 1;
    } else if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
               (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
      ee = (const struct sock_extended_err *)CMSG_DATA(c);
    }
  }
  struct timespec now;
  if (!have_ts && clock_gettime(CLOCK_REALTIME, &now) == 0) e->rx_ns = ns_since(&s->base, &now);
  return ee;
}

/* One received message: its bytes (the first DATA_SLOT), control data and sender. */
typedef struct {
  unsigned char data[DATA_SLOT], ctl[CTL_SLOT];
  struct sockaddr_storage from;
  struct iovec iov;
  struct msghdr m;
} rx_slot;

/* recvmsg() from the normal queue or (flags MSG_ERRQUEUE) the error queue, without waiting: the
 * message length, or -1 with errno. */
static ssize_t recv_slot(eq_sock *s, rx_slot *r, int flags) {
  r->iov = (struct iovec){r->data, sizeof r->data};
  r->m = (struct msghdr){.msg_name = &r->from, .msg_namelen = sizeof r->from, .msg_iov = &r->iov,
                         .msg_iovlen = 1, .msg_control = r->ctl, .msg_controllen = sizeof r->ctl};
  return recvmsg(s->base.fd, &r->m, flags | MSG_DONTWAIT);
}

/* ICMP errors quoting our datagrams; local errors (origin LOCAL) are passed on too (JS skips). */
static int drain_errqueue(eq_sock *s, napi_value arr, uint32_t *n) {
  rx_slot r;
  for (int i = 0; i < MAX_DRAIN; i++) {
    ssize_t len = recv_slot(s, &r, MSG_ERRQUEUE);
    if (len < 0) {
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : errno;
    }
    event e = {.error = 1, .data = r.data, .len = (size_t)len > sizeof r.data ? sizeof r.data : (size_t)len};
    const struct sock_extended_err *ee = read_cmsgs(s, &r.m, &e);
    if (!ee) continue;
    e.origin = ee->ee_origin, e.type = ee->ee_type, e.code = ee->ee_code;
    if (ee->ee_origin == SO_EE_ORIGIN_ICMP || ee->ee_origin == SO_EE_ORIGIN_ICMP6)
      e.from = SO_EE_OFFENDER(ee);
    push(s, arr, n, &e);
  }
  return 0;
}

/* The normal queue: UDP replies from the destination (the socket is connected to it). */
static int drain(eq_sock *s, napi_value arr, uint32_t *n) {
  rx_slot r;
  for (int i = 0; i < MAX_DRAIN; i++) {
    ssize_t len = recv_slot(s, &r, 0);
    if (len < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
      if (errno == EINTR || latched(errno)) continue; /* sk_err, cleared by this read */
      return errno;
    }
    event e = {.error = 0, .data = r.data, .len = (size_t)len > sizeof r.data ? sizeof r.data : (size_t)len,
               .from = (const struct sockaddr *)&r.from};
    read_cmsgs(s, &r.m, &e);
    push(s, arr, n, &e);
  }
  return 0;
}

static void call_js(eq_sock *s, napi_value err, napi_value arr) {
  napi_value argv[2] = {err, arr};
  poll_call_js(&s->base, 2, argv);
}

static void on_poll(uv_poll_t *handle, int status, int events) {
  eq_sock *s = handle->data;
  if (s->base.closing) return;
  int restart = poll_error_wakeup(&s->base, status); /* drain, clear, and poll again */
  int fail = status < 0 && !restart ? -status : 0;
  napi_handle_scope scope;
  if (napi_open_handle_scope(s->base.env, &scope) != napi_ok) return;
  napi_value arr, err;
  uint32_t n = 0;
  napi_create_array(s->base.env, &arr);
  napi_get_null(s->base.env, &err);
  if (!fail) fail = drain_errqueue(s, arr, &n);
  if (!fail) fail = drain(s, arr, &n);
  if (!fail && restart) fail = poll_rearm(&s->base, n, on_poll);
  if (n > 0) s->base.empty_errors = 0;
  if (fail) err = errno_error(s->base.env, "socket receive failed", fail);
  if (n > 0 || fail) call_js(s, err, arr);
  napi_close_handle_scope(s->base.env, scope);
}

/* ---- TCP SYN probes ------------------------------------------------------------------------ */

/* Disconnects a TCP probe (connect(AF_UNSPEC)): a RST if the destination had accepted, nothing in
 * SYN-SENT, and the socket leaves the connection table now, so the flow's next probe can take
 * the same 4-tuple at once rather than when libuv gets round to closing the fd. */
static void tcp_abort(int fd) {
  struct sockaddr unspec = {.sa_family = AF_UNSPEC};
  if (connect(fd, &unspec, sizeof unspec) != 0 && errno != EINVAL) perror("nop_errqueue: disconnect");
}

/* The SYN's round trip as the kernel measured it (TCP_INFO, µs: SYN sent to SYN-ACK processed);
 * the time of this wakeup when the kernel took no sample (the SYN was retransmitted). */
static double syn_ack_rx_ns(eq_sock *s) {
  struct tcp_info info;
  socklen_t len = sizeof info;
  if (getsockopt(s->base.fd, IPPROTO_TCP, TCP_INFO, &info, &len) == 0 && info.tcpi_rtt > 0)
    return s->sent_ns + (double)info.tcpi_rtt * 1e3;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return ns_since(&s->base, &now);
}

/* One probe's answer, then no more polling: a router's ICMP error from the error queue, the
 * destination's SYN-ACK (type 0) or RST (type 1). A connect() that timed out (the kernel's own
 * SYN retries) says nothing: the prober's timer counts the probe lost. */
static void on_poll_tcp(uv_poll_t *handle, int status, int events) {
  static const unsigned char nothing[1] = {0};
  eq_sock *s = handle->data;
  if (s->base.closing) return;
  napi_handle_scope scope;
  if (napi_open_handle_scope(s->base.env, &scope) != napi_ok) return;
  napi_value arr, err;
  uint32_t n = 0;
  napi_create_array(s->base.env, &arr);
  napi_get_null(s->base.env, &err);
  int fail = drain_errqueue(s, arr, &n), pending = 0, done = n > 0;
  socklen_t len = sizeof pending;
  if (!fail && getsockopt(s->base.fd, SOL_SOCKET, SO_ERROR, &pending, &len) != 0) fail = errno;
  if (!fail && !done) {
    struct sockaddr_storage peer;
    socklen_t plen = sizeof peer;
    struct timespec now;
    event e = {.data = nothing, .len = 0};
    if (pending == 0 && getpeername(s->base.fd, (struct sockaddr *)&peer, &plen) == 0) {
      e.type = 0, e.from = (const struct sockaddr *)&peer, e.rx_ns = syn_ack_rx_ns(s);
      push(s, arr, &n, &e), done = 1;
    } else if (pending == ECONNREFUSED) {
      clock_gettime(CLOCK_REALTIME, &now);
      e.type = 1, e.rx_ns = ns_since(&s->base, &now);
      push(s, arr, &n, &e), done = 1;
    } else if (pending == ETIMEDOUT) {
      done = 1;
    } else if (pending != 0) {
      fail = pending; /* no route, ... with no ICMP error queued: a local failure */
    } else if (status < 0 && ++s->base.empty_errors > 100) {
      fail = EIO;
    } else if (status < 0) {
      /* libuv stopped the poll on EPOLLERR; nothing to say yet: keep waiting */
      int uverr = uv_poll_start(&s->base.poll, UV_READABLE | UV_WRITABLE, on_poll_tcp);
      if (uverr != 0) fail = -uverr;
    }
  }
  if (done || fail) {
    uv_poll_stop(&s->base.poll);
    tcp_abort(s->base.fd);
  }
  if (fail) err = errno_error(s->base.env, "TCP probe failed", fail);
  if (n > 0 || fail) call_js(s, err, arr);
  napi_close_handle_scope(s->base.env, scope);
}

/* ---- lifetime (poll-socket.h) ------------------------------------------------------------ */

static void abort_tcp_probe(poll_sock *base) {
  /* now, not when libuv closes the fd: the flow's next probe may bind the same 4-tuple next */
  if (((eq_sock *)base)->tcp) tcp_abort(base->fd);
}

/* ---- open --------------------------------------------------------------------------------- */

static int parse_address(int family, char *address, int port, struct sockaddr_storage *to, socklen_t *tolen) {
  memset(to, 0, sizeof *to);
  if (family == 4) {
    struct sockaddr_in *a = (struct sockaddr_in *)to;
    a->sin_family = AF_INET, a->sin_port = htons((uint16_t)port), *tolen = sizeof *a;
    return inet_pton(AF_INET, address, &a->sin_addr) == 1 ? 0 : EINVAL;
  }
  struct sockaddr_in6 *a = (struct sockaddr_in6 *)to;
  char *zone = strchr(address, '%');
  a->sin6_family = AF_INET6, a->sin6_port = htons((uint16_t)port), *tolen = sizeof *a;
  if (zone) {
    *zone++ = '\0';
    a->sin6_scope_id = if_nametoindex(zone);
    if (!a->sin6_scope_id) a->sin6_scope_id = (uint32_t)strtoul(zone, NULL, 10);
    if (!a->sin6_scope_id) return EINVAL;
  }
  return inet_pton(AF_INET6, address, &a->sin6_addr) == 1 ? 0 : EINVAL;
}

/* Polls `fd` for `callback` and hands JS { handle, localPort }: the fd is owned from here on
 * (closed on failure too). `epoch_s` anchors the socket's ns times. */
static napi_value wrap_socket(napi_env env, int fd, int family, int tcp, int64_t epoch_s, napi_value callback,
                              eq_sock **out) {
  struct sockaddr_storage local;
  socklen_t llen = sizeof local;
  if (getsockname(fd, (struct sockaddr *)&local, &llen) != 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, "getsockname", err);
  }
  eq_sock *s = calloc(1, sizeof *s);
  if (!s) return close(fd), throw_errno(env, "allocating the socket", ENOMEM);
  int local_port =
      ntohs(family == 4 ? ((struct sockaddr_in *)&local)->sin_port : ((struct sockaddr_in6 *)&local)->sin6_port);
  s->base.fd = fd, s->base.epoch_s = epoch_s, s->base.on_close = abort_tcp_probe;
  s->family = family, s->tcp = tcp, s->ttl = -1;
  /* A TCP probe also waits for writable: connect() completing. */
  napi_value handle = tcp ? poll_start(env, &s->base, UV_READABLE | UV_WRITABLE, on_poll_tcp, callback, "nop-tcp-probe")
                          : poll_start(env, &s->base, UV_READABLE, on_poll, callback, "nop-errqueue-socket");
  if (!handle) return NULL;
  napi_value result, v;
  NAPI_OK(env, napi_create_object(env, &result));
  NAPI_OK(env, napi_set_named_property(env, result, "handle", handle));
  NAPI_OK(env, napi_create_int32(env, local_port, &v));
  NAPI_OK(env, napi_set_named_property(env, result, "localPort", v));
  *out = s;
  return result;
}

/* ICMP errors about our packets on the error queue, and the kernel's receive time on every message. */
static int set_recverr(int fd, int family) {
  if (set_int(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1) != 0) return -1;
  return family == 4 ? set_int(fd, IPPROTO_IP, IP_RECVERR, 1) : set_int(fd, IPPROTO_IPV6, IPV6_RECVERR, 1);
}

/* Whole seconds of CLOCK_REALTIME now: a new socket's epoch. */
static int epoch_now(int64_t *epoch_s) {
  struct timespec now;
  if (clock_gettime(CLOCK_REALTIME, &now) != 0) return errno;
  *epoch_s = now.tv_sec;
  return 0;
}

#define TRY(label, call)          \
  if (!err && (call) != 0) {      \
    err = errno, what = (label);  \
  }

static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  int32_t family = 0, port = 0;
  char address[INET6_ADDRSTRLEN + IF_NAMESIZE + 2] = "", protocol[8] = "udp";
  napi_valuetype cbtype;
  NAPI_OK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc >= 5 && napi_get_value_string_utf8(env, argv[4], protocol, sizeof protocol, NULL) != napi_ok)
    protocol[0] = '\0';
  int icmp = strcmp(protocol, "icmp") == 0;
  if (argc < 4 || napi_get_value_int32(env, argv[0], &family) != napi_ok || (family != 4 && family != 6) ||
      napi_get_value_string_utf8(env, argv[1], address, sizeof address, NULL) != napi_ok ||
      napi_get_value_int32(env, argv[2], &port) != napi_ok || port < (icmp ? 0 : 1) || port > 65535 ||
      napi_typeof(env, argv[3], &cbtype) != napi_ok || cbtype != napi_function ||
      (!icmp && strcmp(protocol, "udp") != 0)) {
    napi_throw_type_error(env, NULL, "open(family: 4|6, address, port: 1-65535 (udp), onEvents, protocol: udp|icmp)");
    return NULL;
  }
  struct sockaddr_storage to;
  socklen_t tolen;
  if (parse_address(family, address, port, &to, &tolen) != 0)
    return napi_throw_error(env, "EINVAL", family == 4 ? "not an IPv4 address" : "not an IPv6 address"), NULL;

  int proto = !icmp ? IPPROTO_UDP : family == 4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
  int fd = socket(family == 4 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
  if (fd < 0) return throw_errno(env, icmp ? "cannot open an ICMP datagram socket" : "cannot open a UDP socket", errno);
  const char *what = "";
  int err = 0;
  int64_t epoch_s = 0;
  TRY("IP_RECVERR and SO_TIMESTAMPNS", set_recverr(fd, family));
  if (family == 4) {
    TRY("IP_MTU_DISCOVER", set_int(fd, IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT));
  } else {
    TRY("IPV6_MTU_DISCOVER", set_int(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_DONT));
  }
  /* connect() binds a kernel-chosen local port (icmp: the identifier): the flow's fixed id. */
  TRY("connect", connect(fd, (struct sockaddr *)&to, tolen));
  if (!err && (err = epoch_now(&epoch_s)) != 0) what = "clock_gettime";
  if (err) {
    close(fd);
    char text[120];
    snprintf(text, sizeof text, "cannot set up the %s socket (%s)", icmp ? "ICMP" : "UDP", what);
    return throw_errno(env, text, err);
  }
  eq_sock *s;
  return wrap_socket(env, fd, family, 0, epoch_s, argv[3], &s);
}

/* One TCP SYN probe with this TTL, from localPort (0: the kernel picks; the flow then reuses it). */
static napi_value js_connect_tcp(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6], v;
  int32_t family = 0, port = 0, local_port = -1, ttl = 0;
  char address[INET6_ADDRSTRLEN + IF_NAMESIZE + 2] = "";
  napi_valuetype cbtype;
  NAPI_OK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 6 || napi_get_value_int32(env, argv[0], &family) != napi_ok || (family != 4 && family != 6) ||
      napi_get_value_string_utf8(env, argv[1], address, sizeof address, NULL) != napi_ok ||
      napi_get_value_int32(env, argv[2], &port) != napi_ok || port < 1 || port > 65535 ||
      napi_get_value_int32(env, argv[3], &local_port) != napi_ok || local_port < 0 || local_port > 65535 ||
      napi_get_value_int32(env, argv[4], &ttl) != napi_ok || ttl < 1 || ttl > 255 ||
      napi_typeof(env, argv[5], &cbtype) != napi_ok || cbtype != napi_function) {
    napi_throw_type_error(env, NULL,
                          "connectTcp(family: 4|6, address, port: 1-65535, localPort: 0-65535, ttl: 1-255, onEvents)");
    return NULL;
  }
  struct sockaddr_storage to, from;
  socklen_t tolen, fromlen;
  if (parse_address(family, address, port, &to, &tolen) != 0)
    return napi_throw_error(env, "EINVAL", family == 4 ? "not an IPv4 address" : "not an IPv6 address"), NULL;
  char any[8];
  snprintf(any, sizeof any, "%s", family == 4 ? "0.0.0.0" : "::");
  parse_address(family, any, local_port, &from, &fromlen); /* the wildcard address, the flow's port */

  int fd = socket(family == 4 ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd < 0) return throw_errno(env, "cannot open a TCP socket", errno);
  const char *what = "";
  int err = 0;
  int64_t epoch_s = 0;
  struct timespec sent;
  /* SO_REUSEADDR: the flow's previous probe may still hold the port (disconnected, not closed). */
  TRY("SO_REUSEADDR", set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1));
  TRY("IP_RECVERR and SO_TIMESTAMPNS", set_recverr(fd, family));
  /* One SYN retransmission at most (after the 1 s initial RTO) when a probe waits that long. */
  TRY("TCP_SYNCNT", set_int(fd, IPPROTO_TCP, TCP_SYNCNT, 1));
  if (family == 4) {
    TRY("IP_TTL", set_int(fd, IPPROTO_IP, IP_TTL, ttl));
  } else {
    TRY("IPV6_UNICAST_HOPS", set_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl));
    /* Flow label 0 for every probe: an automatic one is random per socket, which would give each
     * probe of the flow a different label to hash on (not Paris). */
    TRY("IPV6_AUTOFLOWLABEL", set_int(fd, IPPROTO_IPV6, IPV6_AUTOFLOWLABEL, 0));
  }
  TRY("bind", bind(fd, (struct sockaddr *)&from, fromlen));
  if (!err && (err = epoch_now(&epoch_s)) != 0) what = "clock_gettime";
  if (!err && clock_gettime(CLOCK_REALTIME, &sent) != 0) err = errno, what = "clock_gettime";
  if (!err && connect(fd, (struct sockaddr *)&to, tolen) != 0 && errno != EINPROGRESS) err = errno, what = "connect";
  if (err) {
    close(fd);
    char text[120];
    snprintf(text, sizeof text, "cannot send a TCP SYN (%s)", what);
    return throw_errno(env, text, err);
  }
  eq_sock *s = NULL;
  napi_value result = wrap_socket(env, fd, family, 1, epoch_s, argv[5], &s);
  if (!result) return NULL;
  s->sent_ns = ns_since(&s->base, &sent);
  NAPI_OK(env, napi_create_double(env, s->sent_ns, &v));
  NAPI_OK(env, napi_set_named_property(env, result, "sentNs", v));
  return result;
}

#undef TRY

/* ---- send --------------------------------------------------------------------------------- */

static napi_value js_send(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int32_t ttl;
  void *payload = NULL;
  size_t len = 0;
  bool is_buffer = false;
  NAPI_OK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) return napi_throw_type_error(env, NULL, "send(handle, ttl, payload)"), NULL;
  eq_sock *s = (eq_sock *)poll_unbox(env, argv[0], "errqueue socket");
  if (!s) return NULL;
  NAPI_OK(env, napi_get_value_int32(env, argv[1], &ttl));
  NAPI_OK(env, napi_is_buffer(env, argv[2], &is_buffer));
  if (!is_buffer) return napi_throw_type_error(env, NULL, "payload must be a Buffer"), NULL;
  NAPI_OK(env, napi_get_buffer_info(env, argv[2], &payload, &len));
  if (ttl < 1 || ttl > 255 || len > MAX_PAYLOAD)
    return napi_throw_range_error(env, NULL, "ttl must be 1-255 and the payload at most 1400 bytes"), NULL;
  if (ttl != s->ttl) {
    int r = s->family == 4 ? set_int(s->base.fd, IPPROTO_IP, IP_TTL, ttl)
                           : set_int(s->base.fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl);
    if (r != 0) return throw_errno(env, "cannot set the TTL", errno);
    s->ttl = ttl;
  }
  /* The last ICMP error (time exceeded, port unreachable, ...) fails the next send once. */
  return send_stamped(env, &s->base, payload, len, NULL, 0, 2, "send");
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", NULL, js_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"send", NULL, js_send, NULL, NULL, NULL, napi_enumerable, NULL},
      {"connectTcp", NULL, js_connect_tcp, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, poll_js_close, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  NAPI_OK(env, napi_define_properties(env, exports, sizeof props / sizeof *props, props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
