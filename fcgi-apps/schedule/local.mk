# fcgi-apps/schedule/local.mk -- included by the top Makefile.am; paths are from the top.

# ---- schedule service: meetups, seats and the waitlist ----
bin_PROGRAMS += fcgi-apps/schedule/somoim-schedule
fcgi_apps_schedule_somoim_schedule_SOURCES = \
	fcgi-apps/schedule/main.c fcgi-apps/schedule/schedule.h fcgi-apps/schedule/settings.c \
	fcgi-apps/schedule/schedules.c fcgi-apps/schedule/attendance.c \
	fcgi-apps/schedule/seats.c fcgi-apps/schedule/seats.h \
	fcgi-apps/schedule/lock.c fcgi-apps/schedule/lock.h \
	fcgi-apps/schedule/store.c fcgi-apps/schedule/store.h
fcgi_apps_schedule_somoim_schedule_LDADD = $(SM_LIBS)

# ---- schedule-events daemon: the schedule schema's copies ----
# A member who left gives back their places with the schedule service's seats.c, under
# the strategy's serializer (settings.c; lock.c for redis-lock).
bin_PROGRAMS += kafka-consumers/schedule-events/somoim-schedule-events
kafka_consumers_schedule_events_somoim_schedule_events_SOURCES = \
	kafka-consumers/schedule-events/main.c \
	fcgi-apps/schedule/settings.c fcgi-apps/schedule/schedule.h \
	fcgi-apps/schedule/lock.c fcgi-apps/schedule/lock.h \
	fcgi-apps/schedule/seats.c fcgi-apps/schedule/seats.h \
	fcgi-apps/schedule/store.c fcgi-apps/schedule/store.h
kafka_consumers_schedule_events_somoim_schedule_events_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/fcgi-apps/schedule
kafka_consumers_schedule_events_somoim_schedule_events_LDADD = $(SM_LIBS)

# ---- schedule-attendance daemon: the kafka strategy's command consumer ----
# It applies commands with the schedule service's seats.c and store.c.
bin_PROGRAMS += kafka-consumers/schedule-attendance/somoim-schedule-attendance
kafka_consumers_schedule_attendance_somoim_schedule_attendance_SOURCES = \
	kafka-consumers/schedule-attendance/main.c \
	fcgi-apps/schedule/seats.c fcgi-apps/schedule/seats.h \
	fcgi-apps/schedule/store.c fcgi-apps/schedule/store.h
kafka_consumers_schedule_attendance_somoim_schedule_attendance_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/fcgi-apps/schedule
kafka_consumers_schedule_attendance_somoim_schedule_attendance_LDADD = $(SM_LIBS)
