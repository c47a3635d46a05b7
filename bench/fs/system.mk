# The benchmark is ordinary C on picolibc and the file-system client.
bench/fs_PD_CFLAGS = $(LIBC_CFLAGS)
bench/fs_PD_LIBS   = $(LIBC_LIBS)
