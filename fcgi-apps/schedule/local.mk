# fcgi-apps/schedule/local.mk -- included by the top Makefile.am; paths are from the top.
