# picolibc for PDs (included at the end of the top-level Makefile).
#
# Debian's picolibc (package picolibc-aarch64-linux-gnu) is a complete C
# library for bare-metal programs; what it needs from its host, Pride's
# shims in lib/libc/src/ provide: stdout/stderr over the debug console,
# _exit/getpid/kill, and word-wise memcpy/memset (picolibc's are byte
# loops). They are archived in $(LIBPRIDEC).
#
# A system whose programs use picolibc sets, in its system.mk:
#     <dir>_PD_CFLAGS = $(LIBC_CFLAGS)
#     <dir>_PD_LIBS   = $(LIBC_LIBS)
#
# The sources sit in src/ because lib/*/*.c all go into libpride.a, which is
# built freestanding without picolibc.

PICOLIBC_DIR := /usr/lib/picolibc/aarch64-linux-gnu
LIBPRIDEC    := $(BUILD)/lib/libpridec.a

# -nostdinc drops the cross compiler's glibc headers; gcc's own freestanding
# headers (stddef.h, stdarg.h, stdbool.h) are added back after picolibc's.
# Asked of gcc once, and only when first needed (it may not be installed yet
# when make reads this file).
LIBC_GCC_INCLUDE = $(eval LIBC_GCC_INCLUDE := $$(shell $(TCC) -print-file-name=include))$(LIBC_GCC_INCLUDE)
LIBC_CFLAGS = -nostdinc -isystem $(PICOLIBC_DIR)/include -isystem $(LIBC_GCC_INCLUDE) \
              -ftls-model=local-exec

# Our memcpy/memset must win over picolibc's: make them undefined from the
# start so the first archive that defines them (libpridec) supplies them.
# The group lets libpridec and libc refer to each other (stdout, _exit).
LIBC_LIBS = -Wl,--undefined=memcpy,--undefined=memset \
            -Wl,--start-group $(LIBPRIDEC) -L$(PICOLIBC_DIR)/lib -lc -lgcc -Wl,--end-group

LIBPRIDEC_OBJS := $(patsubst %,$(BUILD)/%.o,$(wildcard lib/libc/src/*.c lib/fs/*.c))

# The shorter stem makes this rule win over the libpride one for these files.
# No loop-to-memcpy rewriting inside memcpy itself.
$(BUILD)/lib/libc/%.o: lib/libc/% lib/libc/libc.mk | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(TCC) $(PD_CFLAGS) $(LIBC_CFLAGS) -fno-tree-loop-distribute-patterns -c -o $@ $<

# The file-system client (lib/fs) defines picolibc's open, read...: built
# with picolibc's headers, archived with the shims.
$(BUILD)/lib/fs/%.o: lib/fs/% lib/libc/libc.mk | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(TCC) $(PD_CFLAGS) $(LIBC_CFLAGS) -c -o $@ $<

$(LIBPRIDEC): $(LIBPRIDEC_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(CROSS)ar rcs $@ $^
