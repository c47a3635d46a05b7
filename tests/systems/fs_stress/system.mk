# The system of fs_basic (the FAT server over the block driver), with this
# directory's tester.
tests/systems/fs_stress_SYSTEM    = tests/systems/fs_basic/fs_basic.system
tests/systems/fs_stress_PD_CFLAGS = $(LIBC_CFLAGS)
tests/systems/fs_stress_PD_LIBS   = $(LIBC_LIBS)
