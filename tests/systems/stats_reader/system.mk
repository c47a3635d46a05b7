# The reader is a file-system client: lib/fs comes with picolibc.
tests/systems/stats_reader_PD_CFLAGS = $(LIBC_CFLAGS)
tests/systems/stats_reader_PD_LIBS   = $(LIBC_LIBS)
