/* The life of a polled socket, shared by the agent's addons (icmp.c, errqueue.c): libuv polls the
 * fd and the addon's poll callback reports to a JS callback (through napi_make_callback, so that
 * promise settlements run right after it); JS holds the socket through a handle (an External
 * whose finalizer closes the socket if JS drops it unclosed); the environment's teardown (process
 * exit, worker end) closes it too. Each addon's socket struct starts with a poll_sock, so a
 * poll_sock * converts to the addon's own type. Header-only (static), like napi-common.h. */
#ifndef NOP_POLL_SOCKET_H
#define NOP_POLL_SOCKET_H

#include <node_api.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "napi-common.h"

typedef struct poll_sock poll_sock;

/* What the JS handle points at: the socket, NULL once it is closed. */
typedef struct {
  poll_sock *s;
} poll_box;

struct poll_sock {
  uv_poll_t poll;
  napi_env env;
  napi_ref callback;
  napi_async_context async;
  napi_async_cleanup_hook_handle cleanup;
  poll_box *box;   /* NULL once JS collected the handle */
  int fd;
  int closing;
  int in_callback; /* inside napi_make_callback: the async context is in use */
  int release_js;  /* closed from inside the callback: release JS references once it returns */
  int empty_errors; /* EPOLLERR wakeups in a row that found nothing */
  int64_t epoch_s; /* CLOCK_REALTIME seconds at open: the socket's times are ns since then */
  /* optional, set by the addon: last words while the fd is still open (the poll is stopped),
   * more JS references to drop, memory of its own to free */
  void (*on_close)(poll_sock *s);
  void (*on_release)(poll_sock *s);
  void (*on_free)(poll_sock *s);
};

static inline double ns_since(const poll_sock *s, const struct timespec *ts) {
  return (double)((int64_t)ts->tv_sec - s->epoch_s) * 1e9 + (double)ts->tv_nsec;
}

/* Errors an IP_RECVERR socket latches from an ICMP error (sk_err) and returns once from the next
 * call: not a broken socket, the ICMP error itself is on the error queue. */
static inline int latched(int err) {
  return err != EBADF && err != ENOTSOCK && err != EFAULT && err != EINVAL && err != ENOMEM &&
         err != EAGAIN && err != EWOULDBLOCK;
}

/* Sends one datagram on `s` (`to` NULL: a connected socket) and returns to JS when it left: ns
 * since the socket's epoch, read from CLOCK_REALTIME right before the send (the RTT's start).
 * EINTR is retried; so is an error the socket latched from an earlier ICMP error (an IP_RECVERR
 * socket fails the next send with it once, and that call clears it), up to `latched_retries`
 * times, to learn the real outcome. NULL with a JS exception named after the errno otherwise. */
static inline napi_value send_stamped(napi_env env, poll_sock *s, const void *buf, size_t len,
                                      const struct sockaddr *to, socklen_t tolen, int latched_retries,
                                      const char *what) {
  struct timespec ts;
  ssize_t sent;
  for (int interrupted = 0, retried = 0;;) {
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return throw_errno(env, "clock_gettime", errno);
    sent = sendto(s->fd, buf, len, 0, to, to ? tolen : 0);
    if (sent >= 0 || errno == EAGAIN || errno == EWOULDBLOCK) break;
    if (errno == EINTR && interrupted++ < 8) continue;
    if (errno != EINTR && latched(errno) && retried++ < latched_retries) continue;
    break;
  }
  if (sent < 0) return throw_errno(env, what, errno);
  char text[40];
  snprintf(text, sizeof text, "%s: short send", what);
  if ((size_t)sent != len) return napi_throw_error(env, "EIO", text), NULL;
  napi_value result;
  NAPI_OK(env, napi_create_double(env, ns_since(s, &ts), &result));
  return result;
}

/* libuv reports EPOLLERR as UV_EBADF and stops the poll; on a live socket it only means a queued
 * ICMP error (or a latched sk_err). Whether this wakeup is such a one (drain, then rearm). */
static inline int poll_error_wakeup(poll_sock *s, int status) {
  return status == UV_EBADF && fcntl(s->fd, F_GETFD) != -1;
}

/* After an EPOLLERR wakeup that read `n` messages: clears a latched sk_err and polls again with
 * `cb` (0), or an errno: EIO when such wakeups keep finding nothing (broken for good). */
static inline int poll_rearm(poll_sock *s, uint32_t n, uv_poll_cb cb) {
  int pending = 0;
  socklen_t len = sizeof pending;
  if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &pending, &len) != 0) return errno; /* clears sk_err */
  if (n == 0 && pending == 0 && ++s->empty_errors > 100) return EIO;
  int uverr = uv_poll_start(&s->poll, UV_READABLE, cb);
  return uverr != 0 ? -uverr : 0;
}

/* Drops the JS callback and the async context (in a JS context, not during env teardown). */
static inline void poll_release_js(poll_sock *s) {
  s->release_js = 0;
  if (s->callback) napi_delete_reference(s->env, s->callback), s->callback = NULL;
  if (s->async) napi_async_destroy(s->env, s->async), s->async = NULL;
  if (s->on_release) s->on_release(s);
}

/* Calls the JS callback with argv; an exception it throws goes to process 'uncaughtException',
 * as for any callback. The callback may close the socket. */
static inline void poll_call_js(poll_sock *s, size_t argc, napi_value *argv) {
  napi_env env = s->env;
  napi_value cb, global, result;
  if (napi_get_reference_value(env, s->callback, &cb) != napi_ok || !cb) return;
  napi_get_global(env, &global); /* make_callback wants an object as `this` */
  s->in_callback = 1;
  napi_status status = napi_make_callback(env, s->async, global, cb, argc, argv, &result);
  s->in_callback = 0;
  if (s->release_js) poll_release_js(s);
  if (status == napi_pending_exception) {
    napi_value exception;
    napi_get_and_clear_last_exception(env, &exception);
    napi_fatal_exception(env, exception);
  }
}

static inline void poll_on_closed(uv_handle_t *handle) {
  poll_sock *s = handle->data;
  if (close(s->fd) != 0) perror("nop addon: close"); /* nothing left to tell JS */
  if (s->box) s->box->s = NULL;
  if (s->cleanup) napi_remove_async_cleanup_hook(s->cleanup);
  if (s->on_free) s->on_free(s);
  free(s);
}

/* Stops polling and closes; `js`: may release JS references (not during env teardown). */
static inline void poll_close(poll_sock *s, int js) {
  if (s->closing) return;
  s->closing = 1;
  uv_poll_stop(&s->poll);
  if (s->on_close) s->on_close(s);
  if (js && s->in_callback) s->release_js = 1; /* poll_call_js releases once the callback returns */
  else if (js) poll_release_js(s);
  uv_close((uv_handle_t *)&s->poll, poll_on_closed);
}

static inline void poll_on_teardown(napi_async_cleanup_hook_handle handle, void *arg) { poll_close(arg, 0); }

static inline void poll_box_finalize(napi_env env, void *data, void *hint) {
  poll_box *box = data;
  if (box->s) box->s->box = NULL, poll_close(box->s, 1);
  free(box);
}

/* The open socket behind a handle, or NULL with a JS exception (`what`: "ICMP socket", ...). */
static inline poll_sock *poll_unbox(napi_env env, napi_value value, const char *what) {
  void *data = NULL;
  char text[80];
  if (napi_get_value_external(env, value, &data) != napi_ok || !data) {
    snprintf(text, sizeof text, "expected an %s handle", what);
    napi_throw_type_error(env, NULL, text);
    return NULL;
  }
  poll_sock *s = ((poll_box *)data)->s;
  if (!s || s->closing) {
    snprintf(text, sizeof text, "%s closed", what);
    napi_throw_error(env, "ECLOSED", text);
    return NULL;
  }
  return s;
}

/* close(handle): closes the socket behind it; closing twice is fine. */
static inline napi_value poll_js_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *data = NULL;
  NAPI_OK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_external(env, argv[0], &data) != napi_ok || !data)
    return napi_throw_type_error(env, NULL, "expected a socket handle"), NULL;
  poll_box *box = data;
  if (box->s) poll_close(box->s, 1);
  return NULL;
}

/* Starts polling `s` (allocated by the addon, its fd set) for `events` with `on_poll`, reporting
 * to `callback`; returns the JS handle. The socket is owned from here: on failure it is closed
 * and freed (and NULL returned with a JS exception). `resource` names the async resource. */
static inline napi_value poll_start(napi_env env, poll_sock *s, int events, uv_poll_cb on_poll, napi_value callback,
                                    const char *resource) {
  uv_loop_t *loop;
  int uverr = UV_EINVAL;
  s->env = env;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || (uverr = uv_poll_init_socket(loop, &s->poll, s->fd)) != 0) {
    close(s->fd);
    if (s->on_free) s->on_free(s);
    free(s);
    napi_throw_error(env, uv_err_name(uverr), "cannot poll the socket");
    return NULL;
  }
  s->poll.data = s;
  if ((uverr = uv_poll_start(&s->poll, events, on_poll)) != 0) {
    napi_throw_error(env, uv_err_name(uverr), uv_strerror(uverr));
    poll_close(s, 0); /* poll_on_closed closes the fd and frees */
    return NULL;
  }
  /* The socket alone does not keep the process alive: pending probes have their timers. */
  uv_unref((uv_handle_t *)&s->poll);
  NAPI_OK(env, napi_add_async_cleanup_hook(env, poll_on_teardown, s, &s->cleanup));

  napi_value name, handle;
  poll_box *box = malloc(sizeof *box);
  if (!box) return poll_close(s, 0), throw_errno(env, "allocating the handle", ENOMEM);
  box->s = s, s->box = box;
  NAPI_OK(env, napi_create_string_utf8(env, resource, NAPI_AUTO_LENGTH, &name));
  NAPI_OK(env, napi_async_init(env, NULL, name, &s->async));
  NAPI_OK(env, napi_create_reference(env, callback, 1, &s->callback));
  NAPI_OK(env, napi_create_external(env, box, poll_box_finalize, NULL, &handle));
  return handle;
}

#endif
