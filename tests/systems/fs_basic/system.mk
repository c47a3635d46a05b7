# The tester is ordinary C on picolibc and the file-system client.
tests/systems/fs_basic_PD_CFLAGS = $(LIBC_CFLAGS)
tests/systems/fs_basic_PD_LIBS   = $(LIBC_LIBS)
