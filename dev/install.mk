# dev/install.mk -- what `make install` adds for a real server, besides the programs
# and the data files of Makefile.am (included from there; paths from the top).
#
#   sbin/somoim-migrate, sbin/somoim-genconf: dev/migrate and dev/genconf themselves
#     (installed with dev/lib.sh under $(pkgdatadir)/dev, beside sql/ and the lists, so
#     one implementation serves the dev stack and a server; the sbin scripts only run
#     them with --conf $(sysconfdir)/somoim/somoim.conf);
#   $(pkgdatadir)/nginx/nginx.conf: the gateway config rendered for the installed paths;
#   systemd units (template units beside what they start; see each file), somoim.target
#     wanting every instance of nginx/services and every daemon of kafka-consumers/daemons,
#     the somoim user (sysusers.d) and the runtime directories (tmpfiles.d).
# The decision: everything that names services is derived from those two lists and
# sql/ at install time (dev/lib.sh's own functions), so a new service needs no edit here.
#
# Unit directories default under $(prefix), so distcheck and a DESTDIR install stay
# inside; a server configures --prefix=/usr --sysconfdir=/etc --localstatedir=/var
# --runstatedir=/run (docs/deploy.md).  SOMOIM_HTTP_PORT is the gateway's port.

systemdunitdir = $(prefix)/lib/systemd/system
sysusersdir = $(prefix)/lib/sysusers.d
tmpfilesdir = $(prefix)/lib/tmpfiles.d
SOMOIM_HTTP_PORT = 8080

SOMOIM_UNITS = fcgi-apps/somoim-fcgi@.service kafka-consumers/somoim-daemon@.service \
	nginx/somoim-nginx.service
EXTRA_DIST += fcgi-apps/somoim-fcgi@.service.in kafka-consumers/somoim-daemon@.service.in

sbin_SCRIPTS = dev/somoim-migrate dev/somoim-genconf
CLEANFILES = $(sbin_SCRIPTS)
dev/somoim-migrate dev/somoim-genconf: Makefile
	$(AM_V_GEN)$(MKDIR_P) dev && { \
	  echo '#!/bin/sh'; \
	  echo '# $(@F): runs $(pkgdatadir)/dev/$(@F:somoim-%=%) for this installation (make install).'; \
	  echo 'exec $(pkgdatadir)/dev/$(@F:somoim-%=%) --conf "$${SOMOIM_CONF:-$(sysconfdir)/somoim/somoim.conf}"'; \
	} >$@.tmp && chmod +x $@.tmp && mv $@.tmp $@

SM_SUBST = sed -e 's|@bindir[@]|$(bindir)|g' -e 's|@sbindir[@]|$(sbindir)|g' \
	-e 's|@sysconfdir[@]|$(sysconfdir)|g' -e 's|@pkgdatadir[@]|$(pkgdatadir)|g' \
	-e 's|@runstatedir[@]|$(runstatedir)|g'
# Runs a function of dev/lib.sh over the source tree's lists (never SOMOIM_ONLY's subset).
SM_LIST = env -u SOMOIM_ONLY bash -c '. "$$0"/dev/lib.sh && "$$1"' $(srcdir)

install-data-hook:
	$(MKDIR_P) "$(DESTDIR)$(pkgdatadir)/dev" "$(DESTDIR)$(systemdunitdir)" \
	  "$(DESTDIR)$(sysusersdir)" "$(DESTDIR)$(tmpfilesdir)"
	$(INSTALL_SCRIPT) $(srcdir)/dev/migrate $(srcdir)/dev/genconf "$(DESTDIR)$(pkgdatadir)/dev"
	$(INSTALL_DATA) $(srcdir)/dev/lib.sh "$(DESTDIR)$(pkgdatadir)/dev"
	@for u in $(SOMOIM_UNITS); do \
	  echo "  UNIT     $$u"; \
	  $(SM_SUBST) $(srcdir)/$$u.in >"$(DESTDIR)$(systemdunitdir)/$${u##*/}" || exit 1; done
	@{ $(SM_SUBST) $(srcdir)/dev/systemd/somoim.target.in && \
	  for i in $$($(SM_LIST) fcgi_instances); do echo "Wants=somoim-fcgi@$$i.service"; done && \
	  for d in $$($(SM_LIST) daemons); do echo "Wants=somoim-daemon@$$d.service"; done && \
	  printf '\n[Install]\nWantedBy=multi-user.target\n'; \
	} >"$(DESTDIR)$(systemdunitdir)/somoim.target"
	$(INSTALL_DATA) $(srcdir)/dev/systemd/somoim.sysusers "$(DESTDIR)$(sysusersdir)/somoim.conf"
	$(SM_SUBST) $(srcdir)/dev/systemd/somoim.tmpfiles.in >"$(DESTDIR)$(tmpfilesdir)/somoim.conf"
	echo "SOMOIM_OUTBOX_RELAY_SCHEMAS=$$($(SM_LIST) outbox_schemas | xargs)" \
	  >"$(DESTDIR)$(pkgdatadir)/kafka-consumers/outbox-relay.env"
	$(srcdir)/nginx/render --run $(runstatedir)/somoim --logs $(localstatedir)/log/somoim \
	  --port $(SOMOIM_HTTP_PORT) --webroot $(pkgdatadir)/web --user www-data \
	  --services $(srcdir)/nginx/services -o "$(DESTDIR)$(pkgdatadir)/nginx/nginx.conf"

uninstall-hook:
	for u in $(SOMOIM_UNITS) somoim.target; do rm -f "$(DESTDIR)$(systemdunitdir)/$${u##*/}"; done
	rm -f "$(DESTDIR)$(sysusersdir)/somoim.conf" "$(DESTDIR)$(tmpfilesdir)/somoim.conf"
