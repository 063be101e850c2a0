/*
 * sm_webpush.h -- Web Push message encryption (RFC 8291 over RFC 8188
 * aes128gcm), VAPID tokens (RFC 8292, ES256) and the check of a
 * subscription endpoint a user gave us, all with OpenSSL 3.
 *
 * The one design decision: a message is exactly one aes128gcm record with
 * rs = 4096, so a plaintext is at most SM_WEBPUSH_MAX_PLAINTEXT (3993)
 * bytes and a body at most 4096, what every push service must accept.
 */
#ifndef SM_WEBPUSH_H
#define SM_WEBPUSH_H

#include <stddef.h>
#include <stdint.h>

#define SM_WEBPUSH_MAX_PLAINTEXT 3993
#define SM_WEBPUSH_HEADER_LEN 86        /* salt 16, rs 4, idlen 1, keyid 65 */
#define SM_WEBPUSH_MAX_BODY 4096
#define SM_WEBPUSH_P256_PUBLIC_LEN 65
#define SM_WEBPUSH_AUTH_LEN 16

struct sm_vapid;

/*
 * Encrypts plaintext (len <= SM_WEBPUSH_MAX_PLAINTEXT) for the subscription
 * keys ua_public (65 bytes, uncompressed P-256) and auth (16 bytes) into out
 * (room for SM_WEBPUSH_MAX_BODY).  as_private (32 bytes) and salt (16 bytes)
 * are for tests against the RFC's vectors: pass NULL for a fresh key pair and
 * random salt, as every real message needs.  Returns the body length, or -1
 * (bad keys, too long).
 */
long sm_webpush_encrypt(const uint8_t *ua_public, const uint8_t *auth,
    const void *plaintext, size_t len, const uint8_t *as_private, const uint8_t *salt,
    uint8_t *out);

/*
 * The VAPID signer from a base64url private key (32 bytes raw, as dev/genconf
 * writes it).  NULL (logged) when the key is not a P-256 scalar.  The subject
 * ("mailto:..." or "https://...") is copied.
 */
struct sm_vapid *sm_vapid_new(const char *private_b64url, const char *subject);
void sm_vapid_free(struct sm_vapid *v);    /* NULL is a no-op */

/* The public key as base64url of the 65-byte point (what the API serves). */
const char *sm_vapid_public_b64(const struct sm_vapid *v);

/*
 * Writes "vapid t=<jwt>, k=<public>" for the origin aud ("https://host[:port]")
 * with the given exp (unix seconds) into out.  Returns 0, or -1.
 */
int sm_vapid_header(const struct sm_vapid *v, const char *aud, long long exp, char *out,
    size_t outlen);

/*
 * Checks an endpoint URL a user gave: https only (http too when
 * allow_loopback, for a loopback host), a host that resolves, and every
 * address of it public -- loopback addresses only when allow_loopback.
 * On success writes the origin ("scheme://host[:port]") into origin (may be
 * NULL) and returns 0; else writes why into err and returns -1.  resolve = 0
 * checks only literal addresses and names (no DNS: for the API's quick check).
 */
int sm_webpush_endpoint_check(const char *url, int allow_loopback, int resolve, char *origin,
    size_t originlen, char *err, size_t errlen);

/*
 * For the socket a sender is about to open (libcurl's opensocket callback):
 * 1 when the address is public, or loopback with allow_loopback; else 0.
 * Checking the address actually connected to defeats a name that resolved
 * to a public address at the check and to a private one at the send.
 */
struct sockaddr;
int sm_webpush_addr_ok(const struct sockaddr *sa, int allow_loopback);

/* [push] allow_loopback of conf: 1 for "true" or "1", else 0 (the default). */
struct sm_conf;
int sm_webpush_loopback_allowed(const struct sm_conf *conf);

/* base64url without padding.  Encode: returns the length written (out needs
 * 4*ceil(n/3)+1).  Decode: the byte count, or -1 when not base64url or
 * longer than outlen. */
size_t sm_b64url_encode(const uint8_t *in, size_t n, char *out);
long sm_b64url_decode(const char *in, uint8_t *out, size_t outlen);

/* Generates a VAPID key pair as base64url (private 43 chars, public 87): 0 or -1. */
int sm_vapid_generate(char priv[64], char pub[100]);

#endif
