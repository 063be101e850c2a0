# fcgi-apps/board/local.mk -- included by the top Makefile.am; paths are from the top.
