/*
 * keys.c -- the auth server's ES256 key pair: signing, verifying, its JWK.
 *
 * dev/genconf makes a P-256 private key (PEM) beside somoim.conf; we derive
 * the public half, its JWK (x, y) and key id (the RFC 7638 thumbprint) with
 * OpenSSL's libcrypto at start, so the JWKS can never disagree with the key
 * that signs.  libjwt signs and checks the signature; before it sees a token
 * we check the header ourselves: exactly {"alg":"ES256","typ":"JWT","kid":ours},
 * so "none", HS256-with-the-public-key and foreign keys are refused whatever
 * the library would do.
 */
#include "auth.h"

#include <errno.h>
#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKEN 2048
#define MAX_KEY_FILE 8192

static void
b64url(const unsigned char *bin, size_t len, char *out, size_t outlen)
{
	sodium_bin2base64(out, outlen, bin, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (f == NULL) {
		sm_log(SM_LOG_ERROR, "fopen %s: %s", path, strerror(errno));
		return NULL;
	}
	buf = sm_xmalloc(MAX_KEY_FILE + 1);
	n = fread(buf, 1, MAX_KEY_FILE, f);
	fclose(f);
	if (n == 0 || n == MAX_KEY_FILE) {
		sm_log(SM_LOG_ERROR, "%s: empty or larger than %d bytes", path, MAX_KEY_FILE);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

int
keys_load(struct auth_keys *k, const char *path)
{
	unsigned char der[128], *p = der, digest[crypto_hash_sha256_BYTES];
	char group[32] = "", jwk[256];
	EVP_PKEY *pkey = NULL;
	BIO *in = NULL, *out = NULL;
	BUF_MEM *mem;
	int len, rc = -1;

	memset(k, 0, sizeof(*k));
	if ((k->private_pem = read_file(path)) == NULL)
		return -1;
	if ((in = BIO_new_mem_buf(k->private_pem, -1)) == NULL ||
	    (pkey = PEM_read_bio_PrivateKey(in, NULL, NULL, NULL)) == NULL) {
		sm_log(SM_LOG_ERROR, "%s: not a PEM private key", path);
		goto out;
	}
	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC ||
	    EVP_PKEY_get_utf8_string_param(pkey, "group", group, sizeof(group), NULL) != 1 ||
	    strcmp(group, "prime256v1") != 0) {
		sm_log(SM_LOG_ERROR, "%s: not a P-256 (prime256v1) EC key", path);
		goto out;
	}
	/* SubjectPublicKeyInfo of P-256: 91 bytes, ending in 0x04 || X(32) || Y(32). */
	if ((len = i2d_PUBKEY(pkey, NULL)) != 91 || i2d_PUBKEY(pkey, &p) != 91 ||
	    der[26] != 0x04) {
		sm_log(SM_LOG_ERROR, "%s: unexpected public key encoding", path);
		goto out;
	}
	b64url(der + 27, 32, k->x, sizeof(k->x));
	b64url(der + 59, 32, k->y, sizeof(k->y));
	/* RFC 7638: the required members in lexical order, no white space. */
	snprintf(jwk, sizeof(jwk), "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}",
	    k->x, k->y);
	crypto_hash_sha256(digest, (const unsigned char *)jwk, strlen(jwk));
	b64url(digest, sizeof(digest), k->kid, sizeof(k->kid));
	if ((out = BIO_new(BIO_s_mem())) == NULL || PEM_write_bio_PUBKEY(out, pkey) != 1) {
		sm_log(SM_LOG_ERROR, "PEM_write_bio_PUBKEY failed");
		goto out;
	}
	BIO_get_mem_ptr(out, &mem);
	k->public_pem = sm_xmalloc(mem->length + 1);
	memcpy(k->public_pem, mem->data, mem->length);
	k->public_pem[mem->length] = '\0';
	rc = 0;
out:
	BIO_free(in);
	BIO_free(out);
	EVP_PKEY_free(pkey);
	if (rc != 0)
		keys_free(k);
	return rc;
}

void
keys_free(struct auth_keys *k)
{
	if (k->private_pem != NULL)
		sodium_memzero(k->private_pem, strlen(k->private_pem));
	free(k->private_pem);
	free(k->public_pem);
	memset(k, 0, sizeof(*k));
}

char *
keys_sign(const struct auth_state *st, const char *subject, const char *client_id,
    const char *jti, time_t now)
{
	const struct auth_keys *k = &st->keys;
	jwt_t *t = NULL;
	char *out = NULL;

	if (jwt_new(&t) != 0 ||
	    jwt_add_header(t, "kid", k->kid) != 0 ||
	    jwt_add_grant(t, "iss", st->issuer) != 0 ||
	    jwt_add_grant(t, "sub", subject) != 0 ||
	    jwt_add_grant(t, "aud", client_id) != 0 ||
	    jwt_add_grant(t, "client_id", client_id) != 0 ||
	    jwt_add_grant(t, "jti", jti) != 0 ||
	    jwt_add_grant_int(t, "iat", (long)now) != 0 ||
	    jwt_add_grant_int(t, "exp", (long)(now + st->token_ttl)) != 0 ||
	    jwt_set_alg(t, JWT_ALG_ES256, (const unsigned char *)k->private_pem,
	    (int)strlen(k->private_pem)) != 0 ||
	    (out = jwt_encode_str(t)) == NULL)
		sm_log(SM_LOG_ERROR, "jwt_encode_str (ES256) failed: %s", strerror(errno));
	jwt_free(t);
	return out;
}

int
keys_verify(const struct auth_state *st, struct sm_req *req, const char *token, time_t now,
    const char **subject, const char **jti)
{
	const struct auth_keys *k = &st->keys;
	const char *iss, *sub, *id;
	jwt_t *t = NULL;
	long exp, iat;
	int rc = -1;

	if (token == NULL || strlen(token) > MAX_TOKEN || !sm_jwt_header_is(token, "ES256", k->kid))
		return -1;
	if (jwt_decode(&t, token, (const unsigned char *)k->public_pem,
	    (int)strlen(k->public_pem)) != 0 || t == NULL)
		return -1;
	if (jwt_get_alg(t) != JWT_ALG_ES256 || (iss = jwt_get_grant(t, "iss")) == NULL ||
	    strcmp(iss, st->issuer) != 0)
		goto out;
	errno = 0;
	exp = jwt_get_grant_int(t, "exp");
	if (errno != 0 || exp <= now)
		goto out;
	errno = 0;
	iat = jwt_get_grant_int(t, "iat");
	if (errno != 0 || iat > now + 30 || exp <= iat)
		goto out;
	if ((sub = jwt_get_grant(t, "sub")) == NULL || *sub == '\0' || strlen(sub) > 64 ||
	    (id = jwt_get_grant(t, "jti")) == NULL || strlen(id) != 22)
		goto out;
	*subject = sm_pool_strdup(req->pool, sub);
	*jti = sm_pool_strdup(req->pool, id);
	rc = 0;
out:
	jwt_free(t);
	return rc;
}
