/*
 * discovery.c -- RFC 8414 metadata and the JWKS, so a standard client can
 * find every endpoint and check our tokens' signatures by itself.
 *
 * Every URL is built from [auth] issuer, which is also the tokens' "iss":
 * RFC 8414 §3.3 wants the metadata's issuer to equal the one the client
 * asked about, so there is one source for both.
 */
#include "auth.h"

static json_object *
strings(const char *a, const char *b)
{
	json_object *arr = json_object_new_array();

	json_object_array_add(arr, json_object_new_string(a));
	if (b != NULL)
		json_object_array_add(arr, json_object_new_string(b));
	return arr;
}

static void
reply_public(struct sm_req *req, json_object *o)
{
	sm_reply_header(req, "Cache-Control", "public, max-age=300");
	sm_reply_json(req, 200, o);
}

void
discovery_metadata(struct sm_req *req)
{
	const char *iss = auth_state(req)->issuer;
	json_object *o = json_object_new_object();

	json_object_object_add(o, "issuer", json_object_new_string(iss));
#define URL(key, path) json_object_object_add(o, key, \
	json_object_new_string(sm_pool_printf(req->pool, "%s%s", iss, path)))
	URL("authorization_endpoint", "/oauth/authorize");
	URL("token_endpoint", "/oauth/token");
	URL("userinfo_endpoint", "/oauth/userinfo");
	URL("jwks_uri", "/oauth/jwks");
#undef URL
	json_object_object_add(o, "response_types_supported", strings("code", NULL));
	json_object_object_add(o, "response_modes_supported", strings("query", NULL));
	json_object_object_add(o, "grant_types_supported", strings("authorization_code", NULL));
	json_object_object_add(o, "code_challenge_methods_supported", strings("S256", NULL));
	json_object_object_add(o, "token_endpoint_auth_methods_supported", strings("none", NULL));
	json_object_object_add(o, "ui_locales_supported", strings("ko", NULL));
	reply_public(req, o);
}

void
discovery_jwks(struct sm_req *req)
{
	const struct auth_keys *k = &auth_state(req)->keys;
	json_object *key = json_object_new_object(), *keys = json_object_new_array(),
	    *o = json_object_new_object();

	json_object_object_add(key, "kty", json_object_new_string("EC"));
	json_object_object_add(key, "crv", json_object_new_string("P-256"));
	json_object_object_add(key, "x", json_object_new_string(k->x));
	json_object_object_add(key, "y", json_object_new_string(k->y));
	json_object_object_add(key, "kid", json_object_new_string(k->kid));
	json_object_object_add(key, "use", json_object_new_string("sig"));
	json_object_object_add(key, "alg", json_object_new_string("ES256"));
	json_object_array_add(keys, key);
	json_object_object_add(o, "keys", keys);
	reply_public(req, o);
}
