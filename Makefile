# Pride: build everything out of tree under build/.
#   make run [SYSTEM=name]   build and boot examples/<name> in QEMU
#            [CONFIG=release] with the release kernel (no debug output)
#   make test                build and run every test
#   make bench               instruction-count benchmarks (QEMU -icount)

BUILD  ?= build
SYSTEM ?= webserver
CROSS  ?= aarch64-linux-gnu-
TCC    := $(CROSS)gcc
HOSTCC ?= gcc

PRIDE      := $(BUILD)/bin/pride
PRIDE_ASAN := $(BUILD)/bin/pride-asan
KERNEL_ELF := $(BUILD)/kernel/kernel.elf
LIBMICROKIT := $(BUILD)/libmicrokit/libmicrokit.a
CRT0       := $(BUILD)/libmicrokit/crt0.o
DEPS_STAMP := $(BUILD)/.deps-installed

QEMU       := qemu-system-aarch64
QEMU_FLAGS := -machine virt -cpu cortex-a53 -m 512M -nographic -nic none

# -MMD -MP: the compiler writes each object's header dependencies (.d files,
# included at the end).
TARGET_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -MMD -MP -ffreestanding -fno-builtin \
                 -fno-pic -fno-stack-protector -mcpu=cortex-a53 -Iinclude
TARGET_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none
KERNEL_CFLAGS := $(TARGET_CFLAGS) -mgeneral-regs-only -mno-outline-atomics -flto -Ikernel/include \
                 -Ikernel/arch/aarch64/include
# PDs probe every page of a stack frame as they grow into it, so that even a
# frame larger than a page faults in the guard page the tool keeps below
# every stack instead of leaping over it (AArch64 gcc assumes 64 KiB guards
# unless told).
PD_CFLAGS := $(TARGET_CFLAGS) -Ilibmicrokit/include -fstack-clash-protection \
             --param stack-clash-protection-guard-size=12
HOST_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -Iinclude
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all deps run test bench clean images
all: $(DEPS_STAMP) $(PRIDE) $(PRIDE_ASAN) $(KERNEL_ELFS) $(LIBMICROKIT) images

deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/install-deps.sh
	bash scripts/install-deps.sh
	@mkdir -p $(@D) && touch $@

# Host build tool.
TOOL_SRCS := $(wildcard tool/*.c)
TOOL_HDRS := $(wildcard tool/*.h) include/pride/bootspec.h include/pride/platform.h
$(PRIDE): $(TOOL_SRCS) $(TOOL_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(TOOL_SRCS)
$(PRIDE_ASAN): $(TOOL_SRCS) $(TOOL_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(SANITIZE) -o $@ $(TOOL_SRCS)

# Kernel, in three build configurations (as the Microkit has them):
#   debug      debug console (kernel messages, PDs' debug output); the default,
#              used by make run and the tests: $(BUILD)/kernel/kernel.elf
#   release    no debug output at all:              $(BUILD)/kernel/release/kernel.elf
#   benchmark  debug console, and the PMU open to EL0 for instruction counts;
#              used by every system under bench/:   $(BUILD)/kernel/benchmark/kernel.elf
KERNEL_SRCS := $(wildcard kernel/*.c kernel/arch/aarch64/*.c kernel/arch/aarch64/*.S)
KERNEL_CONFIGS := debug release benchmark
debug_KERNEL_FLAGS     := -DPRIDE_DEBUG_CONSOLE
release_KERNEL_FLAGS   :=
benchmark_KERNEL_FLAGS := -DPRIDE_DEBUG_CONSOLE -DPRIDE_PMU_EL0
kernel_dir = $(if $(filter debug,$(1)),$(BUILD)/kernel,$(BUILD)/kernel/$(1))
kernel_elf = $(call kernel_dir,$(1))/kernel.elf
KERNEL_ELF := $(call kernel_elf,debug)
define kernel_rules
$(call kernel_dir,$(1))/%.o: kernel/% Makefile | $(DEPS_STAMP)
	@mkdir -p $$(@D)
	$(TCC) $(KERNEL_CFLAGS) $($(1)_KERNEL_FLAGS) -c -o $$@ $$<
$(call kernel_elf,$(1)): $(patsubst kernel/%,$(call kernel_dir,$(1))/%.o,$(KERNEL_SRCS)) \
        kernel/arch/aarch64/kernel.ld
	$(TCC) $(KERNEL_CFLAGS) $(TARGET_LDFLAGS) -T kernel/arch/aarch64/kernel.ld -o $$@ \
	    $(patsubst kernel/%,$(call kernel_dir,$(1))/%.o,$(KERNEL_SRCS))
endef
$(foreach c,$(KERNEL_CONFIGS),$(eval $(call kernel_rules,$(c))))
KERNEL_ELFS := $(foreach c,$(KERNEL_CONFIGS),$(call kernel_elf,$(c)))

# libmicrokit.
$(BUILD)/libmicrokit/%.o: libmicrokit/% Makefile | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(TCC) $(PD_CFLAGS) -c -o $@ $<
$(CRT0): $(BUILD)/libmicrokit/crt0.S.o
	cp $< $@
$(LIBMICROKIT): $(BUILD)/libmicrokit/main.c.o $(BUILD)/libmicrokit/debug.c.o
	$(CROSS)ar rcs $@ $^

# Client libraries (lib/<class>/*.c): one archive; PDs pull what they use.
LIBPRIDE := $(BUILD)/lib/libpride.a
LIBPRIDE_OBJS := $(patsubst %,$(BUILD)/%.o,$(filter-out lib/fs/%,$(wildcard lib/*/*.c)))
$(BUILD)/lib/%.o: lib/% Makefile | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(TCC) $(PD_CFLAGS) -c -o $@ $<
$(LIBPRIDE): $(LIBPRIDE_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(CROSS)ar rcs $@ $^

# PD programs: each .c file in a system directory is one program,
# <name>.elf, unless another program of the directory names it among its
# further sources (see system_rules below). SYSTEM_PD_CFLAGS/SYSTEM_PD_LIBS
# come from the system directory's system.mk; a program's further sources
# are compiled with its flags (make passes them on) and linked in.
PD_LINK := $(CRT0) $(LIBPRIDE) $(LIBMICROKIT) libmicrokit/microkit.ld
define pd_program_recipe
	@mkdir -p $(@D)
	$(TCC) $(PD_CFLAGS) $(PD_POLICY_CFLAGS) $(SYSTEM_PD_CFLAGS) -MF $@.d -MT $@ $(TARGET_LDFLAGS) -T libmicrokit/microkit.ld -o $@ \
	    $(CRT0) $< $(filter-out $(CRT0),$(filter %.o,$^)) $(SYSTEM_PD_LIBS) $(LIBPRIDE) $(LIBMICROKIT) -lgcc
endef
$(BUILD)/%.elf: %.c $(PD_LINK) Makefile
	$(pd_program_recipe)
$(BUILD)/%.o: %.c Makefile
	@mkdir -p $(@D)
	$(TCC) $(PD_CFLAGS) $(PD_POLICY_CFLAGS) $(SYSTEM_PD_CFLAGS) -c -o $@ $<
# Drivers (drivers/<class>/<device>/<file>.c) and components
# (components/<class>/<name>.c) are found by every system through the build
# tool's search path; their ELF names carry their class, so that one system
# can use components of several classes: drivers/serial/pl011 builds
# serial_pl011.elf, components/net/virt_rx.c net_virt_rx.elf. Each is
# built once and learns its system from its config struct, which the tool
# fills (include/pride/config.h).
words_of = $(subst /, ,$(1))
shared_elf = $(BUILD)/$(dir $(1))$(word 2,$(call words_of,$(1)))_$(if $(filter drivers/%,$(1)),$\
             $(word 3,$(call words_of,$(1))),$(basename $(notdir $(1)))).elf
define shared_program
$(call shared_elf,$(1)): $(1) $(PD_LINK) Makefile
	$$(pd_program_recipe)
endef
SHARED_SRCS := $(wildcard drivers/*/*/*.c components/*/*.c)
$(foreach s,$(SHARED_SRCS),$(eval $(call shared_program,$(s))))
SHARED_ELFS := $(foreach s,$(SHARED_SRCS),$(call shared_elf,$(s)))
SHARED_DIRS := $(sort $(dir $(SHARED_ELFS)))

# Systems: every directory with a <name>.system under examples/, bench/ and
# tests/systems/. A system directory may have a system.mk setting, for a
# program <prog> of it:
#     <dir>/<prog>_CFLAGS, <dir>/<prog>_LIBS   its own flags and libraries
#                       (e.g. $(LWIP_CFLAGS) and $(LWIP_LIBS) from lib/lwip/lwip.mk)
#     <dir>/<prog>_SRCS  its further sources in the directory (not programs)
# and <dir>_PD_CFLAGS, <dir>_PD_LIBS for every program of the directory;
# <dir>_PROGRAMS lists programs whose source is another directory's, as
# <prog>=<path>.c (built here, with this directory's flags).
# The archives among the libraries become prerequisites. All are expanded
# late (secondary expansion), since the lib/*/*.mk fragments that define them
# are read at the end of this file.
# A directory without a .system file of its own names another's with
# <dir>_SYSTEM (the benchmark of an example); <dir>_BUILD_FLAGS are further
# flags of pride build (--one-core: every PD on core 0).
# Systems under bench/ boot the benchmark kernel, the others the debug
# kernel; every example also gets <name>-release.img with the release kernel
# (make run CONFIG=release boots it).
SYSTEM_DIRS := $(sort $(patsubst %/,%,$(dir $(wildcard examples/*/*.system bench/*/*.system \
                   tests/systems/*/*.system bench/*/system.mk tests/systems/*/system.mk))))
EXAMPLE_DIRS := $(filter examples/%,$(SYSTEM_DIRS))
system_config = $(if $(filter bench/%,$(1)),benchmark,debug)
.SECONDEXPANSION:
# system_image DIR IMAGE CONFIG: IMAGE of DIR's system with CONFIG's kernel.
system_file = $(or $($(1)_SYSTEM),$(1)/$(notdir $(1)).system)
define system_image
$(2): $(call system_file,$(1)) $(call system_elfs,$(1)) \
        $(SHARED_ELFS) $(call kernel_elf,$(3)) $(PRIDE)
	$(PRIDE) build $$< -o $$@ --kernel $(call kernel_elf,$(3)) $$($(1)_BUILD_FLAGS) $(BUILD)/$(1) $(SHARED_DIRS)
endef
# The programs of a system directory, and their ELF files.
further_srcs = $(foreach p,$(patsubst $(1)/%.c,%,$(wildcard $(1)/*.c)),$(addprefix $(1)/,$($(1)/$(p)_SRCS)))
local_programs = $(patsubst $(1)/%.c,%,$(filter-out $(call further_srcs,$(1)),$(wildcard $(1)/*.c)))
borrowed_programs = $(foreach p,$($(1)_PROGRAMS),$(firstword $(subst =, ,$(p))))
borrowed_source = $(lastword $(subst =, ,$(filter $(2)=%,$($(1)_PROGRAMS))))
system_programs = $(call local_programs,$(1)) $(call borrowed_programs,$(1))
system_elfs = $(patsubst %,$(BUILD)/$(1)/%.elf,$(call system_programs,$(1)))
# program_rules DIR PROG
define program_rules
$(BUILD)/$(1)/$(2).elf: SYSTEM_PD_CFLAGS = $$($(1)_PD_CFLAGS) $$($(1)/$(2)_CFLAGS)
$(BUILD)/$(1)/$(2).elf: SYSTEM_PD_LIBS = $$($(1)/$(2)_LIBS) $$($(1)_PD_LIBS)
$(BUILD)/$(1)/$(2).elf: $(patsubst %.c,$(BUILD)/$(1)/%.o,$($(1)/$(2)_SRCS)) \
        $$$$(filter %.a,$$$$($(1)/$(2)_LIBS) $$$$($(1)_PD_LIBS))
$(BUILD)/$(1)/$(2).elf $(patsubst %.c,$(BUILD)/$(1)/%.o,$($(1)/$(2)_SRCS)): $(wildcard $(1)/system.mk)
endef
define borrowed_rule
$(BUILD)/$(1)/$(2).elf: $(call borrowed_source,$(1),$(2)) $(PD_LINK) Makefile
	$$(pd_program_recipe)
endef
define system_rules
-include $(1)/system.mk
$$(foreach p,$$(call system_programs,$(1)),$$(eval $$(call program_rules,$(1),$$(p))))
$$(foreach p,$$(call borrowed_programs,$(1)),$$(eval $$(call borrowed_rule,$(1),$$(p))))
$$(eval $$(call system_image,$(1),$(BUILD)/$(1)/$(notdir $(1)).img,$(call system_config,$(1))))
endef
$(foreach d,$(SYSTEM_DIRS),$(eval $(call system_rules,$(d))))
$(foreach d,$(EXAMPLE_DIRS),$(eval $(call system_image,$(d),$(BUILD)/$(d)/$(notdir $(d))-release.img,release)))
# The PMU test runs under the benchmark kernel too (tests/kernel).
PMU_BENCHMARK_IMG := $(BUILD)/tests/systems/pmu/pmu-benchmark.img
$(eval $(call system_image,tests/systems/pmu,$(PMU_BENCHMARK_IMG),benchmark))
IMAGES := $(foreach d,$(SYSTEM_DIRS),$(BUILD)/$(d)/$(notdir $(d)).img) \
          $(foreach d,$(EXAMPLE_DIRS),$(BUILD)/$(d)/$(notdir $(d))-release.img) $(PMU_BENCHMARK_IMG)
images: $(IMAGES)

# Build policy: the network data path keeps out of the FP/SIMD registers
# (gcc would vectorise copies into them): they are the clients', and each PD
# touching them costs a lazy FP switch. (private: not passed on to the
# libraries these programs link.)
GENERAL_REGS_ONLY_ELFS := $(foreach s,drivers/net/virtio/virtio_net.c components/net/virt_rx.c \
    components/net/virt_tx.c components/net/copier.c,$(call shared_elf,$(s)))
$(GENERAL_REGS_ONLY_ELFS): private PD_POLICY_CFLAGS := -mgeneral-regs-only
# Shared programs that are ordinary C on picolibc (lib/libc/libc.mk).
LIBC_ELFS := $(call shared_elf,components/fs/fat.c)
$(LIBC_ELFS): private SYSTEM_PD_CFLAGS = $(LIBC_CFLAGS)
$(LIBC_ELFS): private SYSTEM_PD_LIBS = $(LIBC_LIBS)
$(LIBC_ELFS): $$(LIBPRIDEC) # (defined in libc.mk, read later: expanded late)

CONFIG ?= debug
RUN_IMAGE := $(BUILD)/examples/$(SYSTEM)/$(SYSTEM)$(if $(filter release,$(CONFIG)),-release).img
run: all $$(examples/$$(SYSTEM)_RUN_DEPS)
	$(QEMU) $(QEMU_FLAGS) -smp $$($(PRIDE) cores examples/$(SYSTEM)/$(SYSTEM).system) \
	    $(examples/$(SYSTEM)_QEMU_ARGS) -kernel $(RUN_IMAGE)

test: all
	BUILD=$(abspath $(BUILD)) bash tests/run_all.sh

bench: all
	BUILD=$(abspath $(BUILD)) bash bench/run.sh

clean:
	rm -rf $(BUILD)

include lib/libc/libc.mk
include lib/lwip/lwip.mk

# Header dependencies, as the compiler found them.
-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
