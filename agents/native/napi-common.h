/* Helpers shared by the agent's native addons (icmp.c, errqueue.c): errors as JavaScript
 * exceptions that carry the errno's name, and a guard for N-API calls. Header-only (static), so
 * each addon stays one translation unit. */
#ifndef NOP_NAPI_COMMON_H
#define NOP_NAPI_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <node_api.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static inline const char *errno_name(int err) {
  const char *name = strerrorname_np(err);
  return name ? name : "EUNKNOWN";
}

/* Throws Error(`${what}: ${strerror}`) with .code = the errno's name (EPERM, EMSGSIZE, ...). */
static inline napi_value throw_errno(napi_env env, const char *what, int err) {
  char text[256];
  snprintf(text, sizeof text, "%s: %s", what, strerror(err));
  napi_throw_error(env, errno_name(err), text);
  return NULL;
}

/* Error(`${what}: ${strerror}`) with .code = the errno's name, to hand to a callback. */
static inline napi_value errno_error(napi_env env, const char *what, int err) {
  napi_value code, msg, error;
  char text[256];
  snprintf(text, sizeof text, "%s: %s", what, strerror(err));
  napi_create_string_utf8(env, errno_name(err), NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, code, msg, &error);
  return error;
}

/* Returns NULL from the calling function (with a pending exception) when an N-API call fails. */
#define NAPI_OK(env, call)                                                       \
  do {                                                                           \
    if ((call) != napi_ok) {                                                     \
      bool pending_ = false;                                                     \
      napi_is_exception_pending((env), &pending_);                               \
      if (!pending_) napi_throw_error((env), NULL, "N-API call failed: " #call); \
      return NULL;                                                               \
    }                                                                            \
  } while (0)

static inline int set_int(int fd, int level, int name, int value) {
  return setsockopt(fd, level, name, &value, sizeof value);
}

#endif
