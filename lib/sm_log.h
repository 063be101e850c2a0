/*
 * sm_log.h -- one line per event on stderr.
 *
 * Format: "2026-11-22T02:20:00.123Z LEVEL program[pid] rid=<request id> message".
 * The request id is nginx's $request_id, set by the runner for the request in
 * hand, so a log line can be matched with the access log and the client's
 * X-Request-Id.  Never log secrets, tokens or passwords.
 */
#ifndef SM_LOG_H
#define SM_LOG_H

enum sm_log_level { SM_LOG_DEBUG, SM_LOG_INFO, SM_LOG_WARN, SM_LOG_ERROR, SM_LOG_OFF };

/* level: "debug", "info", "warn", "error" or "off" (nothing); NULL keeps "info". */
void sm_log_init(const char *program, const char *level);
void sm_log_set_request_id(const char *rid);                /* NULL clears */
const char *sm_log_request_id(void);
void sm_log(enum sm_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
