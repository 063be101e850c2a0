/*
 * sm_webpush.c -- RFC 8291 message encryption, RFC 8292 VAPID and the
 * endpoint check (see sm_webpush.h).
 *
 * Each step follows RFC 8291 section 3 with the byte lengths of its
 * Appendix A (checked by lib/tests/test_webpush.c against those vectors):
 * ECDH with a fresh P-256 key, IKM = HKDF(auth, ecdh, "WebPush: info" 0x00
 * ua_public as_public, 32), CEK = HKDF(salt, IKM, "Content-Encoding:
 * aes128gcm" 0x00, 16), NONCE = HKDF(salt, IKM, "Content-Encoding: nonce"
 * 0x00, 12), one record = plaintext 0x02 sealed with AES-128-GCM.  OpenSSL's
 * HKDF appends the expand counter itself, so the info strings carry none.
 * The endpoint check refuses everything but public addresses by default:
 * the URL is a user's, and the daemon would otherwise POST wherever it points.
 */
#include "sm_webpush.h"
#include "sm_conf.h"
#include "sm_log.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#define RS 4096

struct sm_vapid {
	EVP_PKEY *key;
	char pub_b64[100];
	char subject[256];
};

/* ---- base64url ---- */

static const char B64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t
sm_b64url_encode(const uint8_t *in, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		out[o++] = B64[v >> 18 & 63];
		out[o++] = B64[v >> 12 & 63];
		out[o++] = B64[v >> 6 & 63];
		out[o++] = B64[v & 63];
	}
	if (n - i == 1) {
		unsigned v = (unsigned)in[i] << 16;
		out[o++] = B64[v >> 18 & 63];
		out[o++] = B64[v >> 12 & 63];
	} else if (n - i == 2) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
		out[o++] = B64[v >> 18 & 63];
		out[o++] = B64[v >> 12 & 63];
		out[o++] = B64[v >> 6 & 63];
	}
	out[o] = '\0';
	return o;
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-' || c == '+')
		return 62;
	if (c == '_' || c == '/')
		return 63;
	return -1;
}

long
sm_b64url_decode(const char *in, uint8_t *out, size_t outlen)
{
	size_t n = strlen(in), o = 0, i;
	unsigned acc = 0;
	int bits = 0;

	while (n > 0 && in[n - 1] == '=')      /* tolerate padding */
		n--;
	if (n % 4 == 1)
		return -1;
	for (i = 0; i < n; i++) {
		int v = b64val((unsigned char)in[i]);

		if (v < 0)
			return -1;
		acc = acc << 6 | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= outlen)
				return -1;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	return (long)o;
}

/* ---- keys ---- */

/* A P-256 public key from its 65 uncompressed octets; NULL when not a point. */
static EVP_PKEY *
public_key(const uint8_t *pub)
{
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *k = NULL;

	if (ctx == NULL)
		return NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
	    (char *)"prime256v1", 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pub,
	    SM_WEBPUSH_P256_PUBLIC_LEN);
	params[2] = OSSL_PARAM_construct_end();
	if (EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		k = NULL;
	EVP_PKEY_CTX_free(ctx);
	return k;
}

/* A P-256 key pair from a 32-byte private scalar (public = d*G); pub_out gets
 * the 65 octets.  NULL when d is not a valid scalar. */
static EVP_PKEY *
private_key(const uint8_t *d, uint8_t *pub_out)
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	EC_POINT *p = NULL;
	BIGNUM *bn = BN_bin2bn(d, 32, NULL);
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *k = NULL;

	if (g == NULL || bn == NULL || BN_is_zero(bn) ||
	    BN_cmp(bn, EC_GROUP_get0_order(g)) >= 0)
		goto out;
	if ((p = EC_POINT_new(g)) == NULL || !EC_POINT_mul(g, p, bn, NULL, NULL, NULL) ||
	    EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, pub_out,
	    SM_WEBPUSH_P256_PUBLIC_LEN, NULL) != SM_WEBPUSH_P256_PUBLIC_LEN)
		goto out;
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, bn) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub_out,
	    SM_WEBPUSH_P256_PUBLIC_LEN) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		goto out;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_KEYPAIR, params) <= 0)
		k = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EC_POINT_free(p);
	BN_clear_free(bn);
	EC_GROUP_free(g);
	return k;
}

static int
public_octets(EVP_PKEY *k, uint8_t *out)
{
	size_t n = 0;

	return EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out,
	    SM_WEBPUSH_P256_PUBLIC_LEN, &n) == 1 && n == SM_WEBPUSH_P256_PUBLIC_LEN ? 0 : -1;
}

static int
hkdf(const uint8_t *salt, size_t saltlen, const uint8_t *ikm, size_t ikmlen,
    const uint8_t *info, size_t infolen, uint8_t *out, size_t outlen)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = kdf != NULL ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM p[5];
	int rc;

	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
	p[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)ikm, ikmlen);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, saltlen);
	p[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, infolen);
	p[4] = OSSL_PARAM_construct_end();
	rc = ctx != NULL && EVP_KDF_derive(ctx, out, outlen, p) == 1 ? 0 : -1;
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return rc;
}

long
sm_webpush_encrypt(const uint8_t *ua_public, const uint8_t *auth, const void *plaintext,
    size_t len, const uint8_t *as_private, const uint8_t *salt_in, uint8_t *out)
{
	static const char info_cek[] = "Content-Encoding: aes128gcm";    /* + its NUL */
	static const char info_nonce[] = "Content-Encoding: nonce";
	uint8_t as_public[SM_WEBPUSH_P256_PUBLIC_LEN], secret[32], ikm[32], cek[16], nonce[12];
	uint8_t key_info[14 + 2 * SM_WEBPUSH_P256_PUBLIC_LEN], salt[16];
	EVP_PKEY *as = NULL, *ua = NULL;
	EVP_PKEY_CTX *dctx = NULL;
	EVP_CIPHER_CTX *cctx = NULL;
	size_t secret_len = sizeof(secret);
	long total = -1;
	int n1 = 0, n2 = 0;

	if (len > SM_WEBPUSH_MAX_PLAINTEXT || ua_public[0] != 0x04)
		return -1;
	if (as_private != NULL)
		as = private_key(as_private, as_public);
	else if ((as = EVP_EC_gen("P-256")) != NULL && public_octets(as, as_public) != 0) {
		EVP_PKEY_free(as);
		as = NULL;
	}
	if (as == NULL || (ua = public_key(ua_public)) == NULL)
		goto out;
	/* The peer was checked to be on the curve when imported; P-256's cofactor is 1,
	 * so the full public-key check set_peer would add (a scalar multiplication,
	 * about as dear as the ECDH itself) proves nothing more. */
	if ((dctx = EVP_PKEY_CTX_new_from_pkey(NULL, as, NULL)) == NULL ||
	    EVP_PKEY_derive_init(dctx) <= 0 || EVP_PKEY_derive_set_peer_ex(dctx, ua, 0) <= 0 ||
	    EVP_PKEY_derive(dctx, secret, &secret_len) <= 0 || secret_len != 32)
		goto out;
	memcpy(key_info, "WebPush: info", 14);                /* with its 0x00 */
	memcpy(key_info + 14, ua_public, SM_WEBPUSH_P256_PUBLIC_LEN);
	memcpy(key_info + 14 + SM_WEBPUSH_P256_PUBLIC_LEN, as_public, SM_WEBPUSH_P256_PUBLIC_LEN);
	if (salt_in != NULL)
		memcpy(salt, salt_in, sizeof(salt));
	else if (RAND_bytes(salt, sizeof(salt)) != 1)
		goto out;
	if (hkdf(auth, SM_WEBPUSH_AUTH_LEN, secret, 32, key_info, sizeof(key_info), ikm, 32) ||
	    hkdf(salt, 16, ikm, 32, (const uint8_t *)info_cek, sizeof(info_cek), cek, 16) ||
	    hkdf(salt, 16, ikm, 32, (const uint8_t *)info_nonce, sizeof(info_nonce), nonce, 12))
		goto out;

	/* header: salt, rs (uint32 BE), idlen, keyid = as_public */
	memcpy(out, salt, 16);
	out[16] = (RS >> 24) & 0xff;
	out[17] = (RS >> 16) & 0xff;
	out[18] = (RS >> 8) & 0xff;
	out[19] = RS & 0xff;
	out[20] = SM_WEBPUSH_P256_PUBLIC_LEN;
	memcpy(out + 21, as_public, SM_WEBPUSH_P256_PUBLIC_LEN);

	{
		static const uint8_t delimiter = 0x02;  /* the last (only) record */
		uint8_t *ct = out + SM_WEBPUSH_HEADER_LEN;
		int n3 = 0;

		if ((cctx = EVP_CIPHER_CTX_new()) == NULL ||
		    EVP_EncryptInit_ex(cctx, EVP_aes_128_gcm(), NULL, cek, nonce) != 1 ||
		    EVP_EncryptUpdate(cctx, ct, &n1, plaintext, (int)len) != 1 ||
		    EVP_EncryptUpdate(cctx, ct + n1, &n2, &delimiter, 1) != 1 ||
		    EVP_EncryptFinal_ex(cctx, ct + n1 + n2, &n3) != 1 ||
		    EVP_CIPHER_CTX_ctrl(cctx, EVP_CTRL_GCM_GET_TAG, 16, ct + n1 + n2 + n3) != 1)
			goto out;
		total = SM_WEBPUSH_HEADER_LEN + n1 + n2 + n3 + 16;
	}
out:
	OPENSSL_cleanse(secret, sizeof(secret));
	OPENSSL_cleanse(ikm, sizeof(ikm));
	OPENSSL_cleanse(cek, sizeof(cek));
	EVP_CIPHER_CTX_free(cctx);
	EVP_PKEY_CTX_free(dctx);
	EVP_PKEY_free(ua);
	EVP_PKEY_free(as);
	return total;
}

/* ---- VAPID ---- */

struct sm_vapid *
sm_vapid_new(const char *private_b64url, const char *subject)
{
	uint8_t d[40], pub[SM_WEBPUSH_P256_PUBLIC_LEN];
	struct sm_vapid *v;
	EVP_PKEY *k;

	if (private_b64url == NULL || sm_b64url_decode(private_b64url, d, sizeof(d)) != 32 ||
	    (k = private_key(d, pub)) == NULL) {
		OPENSSL_cleanse(d, sizeof(d));
		sm_log(SM_LOG_ERROR, "vapid: the private key is not a base64url P-256 scalar");
		return NULL;
	}
	OPENSSL_cleanse(d, sizeof(d));
	if ((v = calloc(1, sizeof(*v))) == NULL) {
		sm_log(SM_LOG_ERROR, "vapid: out of memory");
		abort();
	}
	v->key = k;
	sm_b64url_encode(pub, sizeof(pub), v->pub_b64);
	snprintf(v->subject, sizeof(v->subject), "%s",
	    subject != NULL && *subject != '\0' ? subject : "mailto:admin@localhost");
	return v;
}

void
sm_vapid_free(struct sm_vapid *v)
{
	if (v == NULL)
		return;
	EVP_PKEY_free(v->key);
	free(v);
}

const char *
sm_vapid_public_b64(const struct sm_vapid *v)
{
	return v->pub_b64;
}

/* ES256 over msg: the 64-byte R||S of JWS (RFC 7518 section 3.4). */
static int
es256(EVP_PKEY *k, const char *msg, size_t len, uint8_t sig[64])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char der[80];
	const unsigned char *p = der;
	size_t derlen = sizeof(der);
	ECDSA_SIG *s = NULL;
	const BIGNUM *r, *ss;
	int rc = -1;

	if (md == NULL || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k) != 1 ||
	    EVP_DigestSign(md, der, &derlen, (const unsigned char *)msg, len) != 1)
		goto out;
	if ((s = d2i_ECDSA_SIG(NULL, &p, (long)derlen)) == NULL)
		goto out;
	ECDSA_SIG_get0(s, &r, &ss);
	if (BN_bn2binpad(r, sig, 32) != 32 || BN_bn2binpad(ss, sig + 32, 32) != 32)
		goto out;
	rc = 0;
out:
	ECDSA_SIG_free(s);
	EVP_MD_CTX_free(md);
	return rc;
}

int
sm_vapid_header(const struct sm_vapid *v, const char *aud, long long exp, char *out,
    size_t outlen)
{
	static const char header[] = "{\"typ\":\"JWT\",\"alg\":\"ES256\"}";
	char claims[1024], input[1600], sigb64[100];
	uint8_t sig[64];
	size_t n;
	int m;

	/* aud is an origin we built ourselves (no quotes); the subject is config. */
	m = snprintf(claims, sizeof(claims), "{\"aud\":\"%s\",\"exp\":%lld,\"sub\":\"%s\"}", aud,
	    exp, v->subject);
	if (m < 0 || (size_t)m >= sizeof(claims) || strchr(aud, '"') || strchr(v->subject, '"'))
		return -1;
	n = sm_b64url_encode((const uint8_t *)header, sizeof(header) - 1, input);
	input[n++] = '.';
	n += sm_b64url_encode((const uint8_t *)claims, (size_t)m, input + n);
	if (es256(v->key, input, n, sig) != 0)
		return -1;
	sm_b64url_encode(sig, sizeof(sig), sigb64);
	m = snprintf(out, outlen, "vapid t=%s.%s, k=%s", input, sigb64, v->pub_b64);
	return m < 0 || (size_t)m >= outlen ? -1 : 0;
}

int
sm_vapid_generate(char priv[64], char pub[100])
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	uint8_t p[SM_WEBPUSH_P256_PUBLIC_LEN], d[32];
	BIGNUM *bn = NULL;
	int rc = -1;

	if (k == NULL || public_octets(k, p) != 0 ||
	    EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &bn) != 1 ||
	    BN_bn2binpad(bn, d, 32) != 32)
		goto out;
	sm_b64url_encode(d, 32, priv);
	sm_b64url_encode(p, sizeof(p), pub);
	rc = 0;
out:
	OPENSSL_cleanse(d, sizeof(d));
	BN_clear_free(bn);
	EVP_PKEY_free(k);
	return rc;
}

/* ---- the endpoint check ---- */

enum { ADDR_PUBLIC, ADDR_LOOPBACK, ADDR_PRIVATE };

static int
v4_kind(const uint8_t *a)
{
	if (a[0] == 127)
		return ADDR_LOOPBACK;
	if (a[0] == 0 || a[0] == 10 || a[0] >= 224 ||                  /* this, private, multicast+ */
	    (a[0] == 100 && (a[1] & 0xc0) == 64) ||                     /* CGNAT 100.64/10 */
	    (a[0] == 169 && a[1] == 254) ||                             /* link local */
	    (a[0] == 172 && (a[1] & 0xf0) == 16) ||                     /* 172.16/12 */
	    (a[0] == 192 && a[1] == 168) ||
	    (a[0] == 192 && a[1] == 0 && (a[2] == 0 || a[2] == 2)) ||   /* IETF, TEST-NET-1 */
	    (a[0] == 198 && (a[1] & 0xfe) == 18) ||                     /* benchmarking */
	    (a[0] == 198 && a[1] == 51 && a[2] == 100) ||
	    (a[0] == 203 && a[1] == 0 && a[2] == 113))
		return ADDR_PRIVATE;
	return ADDR_PUBLIC;
}

static int
v6_kind(const uint8_t *a)
{
	static const uint8_t loop[16] = { [15] = 1 }, any[16] = { 0 };
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (memcmp(a, loop, 16) == 0)
		return ADDR_LOOPBACK;
	if (memcmp(a, mapped, 12) == 0)
		return v4_kind(a + 12);
	if (memcmp(a, any, 16) == 0 || (a[0] & 0xfe) == 0xfc ||         /* ULA fc00::/7 */
	    (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || a[0] == 0xff ||  /* link local, multicast */
	    (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) ||  /* documentation */
	    memcmp(a, any, 12) == 0)                                    /* IPv4-compatible */
		return ADDR_PRIVATE;
	return ADDR_PUBLIC;
}

static int
addr_kind(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return v4_kind((const uint8_t *)&((const struct sockaddr_in *)sa)->sin_addr);
	if (sa->sa_family == AF_INET6)
		return v6_kind(((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr);
	return ADDR_PRIVATE;
}

int
sm_webpush_loopback_allowed(const struct sm_conf *conf)
{
	const char *v = sm_conf_get(conf, "push", "allow_loopback", "false");

	return strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
}

int
sm_webpush_addr_ok(const struct sockaddr *sa, int allow_loopback)
{
	int k = addr_kind(sa);

	return k == ADDR_PUBLIC || (k == ADDR_LOOPBACK && allow_loopback);
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

int
sm_webpush_endpoint_check(const char *url, int allow_loopback, int resolve, char *origin,
    size_t originlen, char *err, size_t errlen)
{
	const char *p, *auth, *end, *hs, *he, *port = NULL;
	char host[256];
	int https, loopback = 0, kind = ADDR_PUBLIC;
	size_t i, hl;

	if (strlen(url) > 2048)
		FAIL("longer than 2048 characters");
	for (i = 0; url[i] != '\0'; i++)
		if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] >= 0x7f)
			FAIL("contains spaces or characters that are not printable ASCII");
	if (strncmp(url, "https://", 8) == 0)
		https = 1, auth = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		https = 0, auth = url + 7;
	else
		FAIL("not an https URL");
	end = auth + strcspn(auth, "/?#");
	if (memchr(auth, '@', (size_t)(end - auth)) != NULL)
		FAIL("user information in the URL is not allowed");
	if (*auth == '[') {
		hs = auth + 1;
		he = memchr(hs, ']', (size_t)(end - hs));
		if (he == NULL)
			FAIL("bad IPv6 host");
		p = he + 1;
	} else {
		hs = auth;
		he = memchr(hs, ':', (size_t)(end - hs));
		if (he == NULL)
			he = end;
		p = he;
	}
	if (p < end) {
		if (*p != ':' || p + 1 == end || p + 6 < end)
			FAIL("bad port");
		port = p + 1;
		for (const char *q = port; q < end; q++)
			if (!isdigit((unsigned char)*q))
				FAIL("bad port");
		if (atoi(port) < 1 || atoi(port) > 65535)
			FAIL("bad port");
	}
	hl = (size_t)(he - hs);
	if (hl == 0 || hl >= sizeof(host))
		FAIL("no host");
	memcpy(host, hs, hl);
	host[hl] = '\0';
	for (i = 0; i < hl; i++)
		host[i] = (char)tolower((unsigned char)host[i]);

	{
		struct in_addr a4;
		struct in6_addr a6;

		if (inet_pton(AF_INET, host, &a4) == 1)
			kind = v4_kind((const uint8_t *)&a4);
		else if (inet_pton(AF_INET6, host, &a6) == 1)
			kind = v6_kind(a6.s6_addr);
		else if (strspn(host, "abcdefghijklmnopqrstuvwxyz0123456789-.") != hl)
			FAIL("bad host name");
		else if (strcmp(host, "localhost") == 0 ||
		    (hl > 10 && strcmp(host + hl - 10, ".localhost") == 0))
			kind = ADDR_LOOPBACK;
		else if (resolve) {
			struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *r;
			int worst = ADDR_PUBLIC, gai = getaddrinfo(host, NULL, &hints, &res);

			if (gai != 0)
				FAIL("host %s does not resolve: %s", host, gai_strerror(gai));
			for (r = res; r != NULL; r = r->ai_next) {
				int k = addr_kind(r->ai_addr);
				if (k == ADDR_PRIVATE || (k == ADDR_LOOPBACK && worst == ADDR_PUBLIC))
					worst = k;
			}
			freeaddrinfo(res);
			kind = worst;
		}
	}
	if (kind == ADDR_PRIVATE)
		FAIL("host %s is not a public address", host);
	if (kind == ADDR_LOOPBACK) {
		if (!allow_loopback)
			FAIL("host %s is a loopback address", host);
		loopback = 1;
	}
	if (!https && !loopback)
		FAIL("not an https URL");
	if (origin != NULL) {
		int m = snprintf(origin, originlen, "%s://%.*s", https ? "https" : "http",
		    (int)(end - auth), auth);
		if (m < 0 || (size_t)m >= originlen)
			FAIL("origin too long");
	}
	return 0;
}
