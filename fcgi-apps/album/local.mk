# fcgi-apps/album/local.mk -- included by the top Makefile.am; paths are from the top.
#
# The album (사진첩, issue 14): the FastCGI program, libalbum.a (what its daemon shares:
# settings, media files and signed URLs, photo events, a deleted community's photos;
# libalbum.h) and somoim-album-events.  libvips (and its GLib) comes from pkg-config.

noinst_LIBRARIES += fcgi-apps/album/libalbum.a
fcgi_apps_album_libalbum_a_SOURCES = \
	fcgi-apps/album/libalbum.h fcgi-apps/album/album.h \
	fcgi-apps/album/media.c fcgi-apps/album/events.c \
	fcgi-apps/album/store.c fcgi-apps/album/store.h
fcgi_apps_album_libalbum_a_CPPFLAGS = $(AM_CPPFLAGS) $(VIPS_CFLAGS)

# ---- album service ----
bin_PROGRAMS += fcgi-apps/album/somoim-album
fcgi_apps_album_somoim_album_SOURCES = \
	fcgi-apps/album/main.c fcgi-apps/album/photos.c \
	fcgi-apps/album/image.c fcgi-apps/album/image.h
fcgi_apps_album_somoim_album_CPPFLAGS = $(AM_CPPFLAGS) $(VIPS_CFLAGS)
fcgi_apps_album_somoim_album_LDADD = fcgi-apps/album/libalbum.a $(SM_LIBS) $(VIPS_LIBS)

# ---- album-events daemon: the album schema's copies, deleted communities and photos,
# photo like counts ----
bin_PROGRAMS += kafka-consumers/album-events/somoim-album-events
kafka_consumers_album_events_somoim_album_events_SOURCES = \
	kafka-consumers/album-events/main.c \
	kafka-consumers/album-events/photos.c kafka-consumers/album-events/photos.h
kafka_consumers_album_events_somoim_album_events_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/fcgi-apps/album $(VIPS_CFLAGS)
kafka_consumers_album_events_somoim_album_events_LDADD = fcgi-apps/album/libalbum.a \
	$(SM_LIBS) $(VIPS_LIBS)
