# fcgi-apps/auth/local.mk -- included by the top Makefile.am; paths are from the top.
#
# somoim-auth (issue 13): the separate OAuth 2.0 identity provider with its own
# schema (sql/auth) and its own ES256 key.  It links libcrypto directly: keys.c
# derives the public JWK (x, y, kid) from the private key dev/genconf made.

bin_PROGRAMS += fcgi-apps/auth/somoim-auth
fcgi_apps_auth_somoim_auth_SOURCES = \
	fcgi-apps/auth/main.c fcgi-apps/auth/auth.h \
	fcgi-apps/auth/authorize.c fcgi-apps/auth/token.c fcgi-apps/auth/userinfo.c \
	fcgi-apps/auth/accounts.c fcgi-apps/auth/discovery.c fcgi-apps/auth/clients.c \
	fcgi-apps/auth/session.c fcgi-apps/auth/page.c fcgi-apps/auth/keys.c \
	fcgi-apps/auth/store.c fcgi-apps/auth/store.h
fcgi_apps_auth_somoim_auth_CPPFLAGS = $(AM_CPPFLAGS) $(CRYPTO_CFLAGS)
fcgi_apps_auth_somoim_auth_LDADD = $(SM_LIBS) $(CRYPTO_LIBS)
