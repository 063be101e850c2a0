#!/usr/bin/env python3
# t/helpers/oauth-client.py -- the independent OAuth client of t/502-oauth-library.t.
#
# Authlib (a standard OAuth 2.0 library, pinned in dev/oauth-client/requirements.txt and
# installed by dev/install into a venv under the cache dir) discovers the auth server
# from its RFC 8414 metadata, makes the PKCE pair, performs the authorization and the
# token request, checks the access token's ES256 signature against the JWKS by itself,
# and reads userinfo. So the server is proven against someone else's reading of the
# RFCs. It prints one JSON object of what it saw; the Perl test asserts on it.
#
#   oauth-client.py flow BASE_URL EMAIL PASSWORD CLIENT_ID REDIRECT_URI
#   oauth-client.py pkce          (a verifier and its S256 challenge, made by Authlib)
import json
import sys

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from authlib.oauth2.rfc7636 import create_s256_code_challenge


def pkce():
    verifier = generate_token(64)
    return {"verifier": verifier, "challenge": create_s256_code_challenge(verifier)}


def authorize(client, meta, verifier):
    """Starts an authorization with the signed-in session; returns (location, state)."""
    uri, state = client.create_authorization_url(meta["authorization_endpoint"],
                                                 code_verifier=verifier)
    r = client.get(uri, allow_redirects=False, timeout=10, withhold_token=True)
    return r.status_code, r.headers.get("Location", ""), state


def token_error(client, meta, location, state, verifier):
    """The token request expected to fail: the RFC 6749 error code Authlib read, or None."""
    try:
        client.fetch_token(meta["token_endpoint"], authorization_response=location,
                           state=state, code_verifier=verifier, timeout=10)
    except OAuthError as e:
        return e.error
    return None


def flow(base, email, password, client_id, redirect_uri):
    out = {}
    meta = requests.get(base + "/.well-known/oauth-authorization-server", timeout=10).json()
    out["issuer"] = meta["issuer"]
    client = OAuth2Session(client_id, redirect_uri=redirect_uri, code_challenge_method="S256",
                           token_endpoint_auth_method="none")
    login = client.post(base + "/oauth/login", json={"email": email, "password": password},
                        timeout=10, withhold_token=True)
    out["login_status"] = login.status_code

    # The good path.
    verifier = generate_token(64)
    status, location, state = authorize(client, meta, verifier)
    out["authorize_status"] = status
    out["redirected_to_client"] = location.startswith(redirect_uri + "?")
    token = client.fetch_token(meta["token_endpoint"], authorization_response=location,
                               state=state, code_verifier=verifier, timeout=10)
    out["token_type"] = token.get("token_type")
    out["expires_in"] = token.get("expires_in")
    jwks = requests.get(meta["jwks_uri"], timeout=10).json()
    claims = jwt.decode(token["access_token"], JsonWebKey.import_key_set(jwks))
    claims.validate()
    out["jwt_verified_with_jwks"] = True
    out["jwt_header"] = dict(claims.header)
    out["claims"] = {k: claims.get(k) for k in ("iss", "aud", "sub")}
    info = client.get(meta["userinfo_endpoint"], timeout=10)
    out["userinfo_status"] = info.status_code
    out["userinfo"] = info.json()

    # The same code again: refused, and the token the first exchange issued is revoked.
    out["reused_code_error"] = token_error(client, meta, location, state, verifier)
    again = requests.get(meta["userinfo_endpoint"], timeout=10,
                         headers={"Authorization": "Bearer " + token["access_token"]})
    out["userinfo_after_reuse_status"] = again.status_code

    # A fresh code with the wrong verifier.
    status, location, state = authorize(client, meta, generate_token(64))
    out["wrong_verifier_error"] = token_error(client, meta, location, state,
                                              generate_token(64))
    return out


def main(argv):
    if len(argv) >= 2 and argv[1] == "pkce":
        print(json.dumps(pkce()))
        return 0
    if len(argv) == 7 and argv[1] == "flow":
        print(json.dumps(flow(*argv[2:])))
        return 0
    sys.stderr.write("usage: oauth-client.py flow BASE EMAIL PASSWORD CLIENT_ID REDIRECT_URI"
                     " | pkce\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
