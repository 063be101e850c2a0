# fcgi-apps/schedule/local.mk -- the schedule service (meetups, seats, the
# waitlist), somoim-schedule-events (the schedule schema's copies; a member
# who left gives back their places) and somoim-schedule-attendance (the kafka
# strategy's command consumer).  Both daemons change attendance with the
# service's own seat transactions, through libschedule.h.  Included by the
# top Makefile.am; paths are from the top.  The shape: fcgi-apps/user/local.mk.

noinst_LIBRARIES += fcgi-apps/schedule/libschedule.a
fcgi_apps_schedule_libschedule_a_SOURCES = \
	fcgi-apps/schedule/libschedule.h fcgi-apps/schedule/schedule.h \
	fcgi-apps/schedule/settings.c \
	fcgi-apps/schedule/lock.c fcgi-apps/schedule/lock.h \
	fcgi-apps/schedule/seats.c fcgi-apps/schedule/seats.h \
	fcgi-apps/schedule/store.c fcgi-apps/schedule/store.h \
	fcgi-apps/schedule/store_edit.c \
	fcgi-apps/schedule/events.c fcgi-apps/schedule/events.h

bin_PROGRAMS += fcgi-apps/schedule/somoim-schedule
fcgi_apps_schedule_somoim_schedule_SOURCES = \
	fcgi-apps/schedule/main.c fcgi-apps/schedule/schedules.c \
	fcgi-apps/schedule/edit.c fcgi-apps/schedule/attendance.c
fcgi_apps_schedule_somoim_schedule_LDADD = fcgi-apps/schedule/libschedule.a $(SM_LIBS)

bin_PROGRAMS += kafka-consumers/schedule-events/somoim-schedule-events
kafka_consumers_schedule_events_somoim_schedule_events_SOURCES = \
	kafka-consumers/schedule-events/main.c
kafka_consumers_schedule_events_somoim_schedule_events_LDADD = \
	fcgi-apps/schedule/libschedule.a $(SM_LIBS)

bin_PROGRAMS += kafka-consumers/schedule-attendance/somoim-schedule-attendance
kafka_consumers_schedule_attendance_somoim_schedule_attendance_SOURCES = \
	kafka-consumers/schedule-attendance/main.c
kafka_consumers_schedule_attendance_somoim_schedule_attendance_LDADD = \
	fcgi-apps/schedule/libschedule.a $(SM_LIBS)
