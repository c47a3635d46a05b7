# lwIP 2.1.3 as a library for PDs (included at the end of the top-level
# Makefile, after lib/libc/libc.mk).
#
# lwIP is not kept in this repository: scripts/fetch-lwip.sh unpacks Debian's
# source package into $(LWIP_DIR) the first time an lwIP object is built.
# Pride's port (lwipopts.h, arch/cc.h, port/sys_arch.c, pride_lwip.h) lives
# here. The library is built NO_SYS=1 against picolibc into $(LIBLWIP).
#
# A system whose programs use lwIP sets, in its system.mk:
#     <dir>_PD_CFLAGS = $(LWIP_CFLAGS)
#     <dir>_PD_LIBS   = $(LWIP_LIBS)

LWIP_DIR   := $(BUILD)/third_party/lwip
LWIP_STAMP := $(LWIP_DIR)/.fetched
LIBLWIP    := $(BUILD)/lib/liblwip.a

LWIP_CFLAGS = $(LIBC_CFLAGS) -Ilib/lwip -I$(LWIP_DIR)/src/include
LWIP_LIBS   = $(LIBLWIP) $(LIBC_LIBS)

# src/core/*.c src/core/ipv4/*.c src/netif/ethernet.c of lwIP 2.1.3, named
# one by one because the tree does not exist yet when make reads this file.
# (Files for features lwipopts.h turns off compile to nothing.)
LWIP_SRCS := $(addprefix src/core/,altcp.c altcp_alloc.c altcp_tcp.c def.c dns.c \
                 inet_chksum.c init.c ip.c mem.c memp.c netif.c pbuf.c raw.c stats.c \
                 sys.c tcp.c tcp_in.c tcp_out.c timeouts.c udp.c) \
             $(addprefix src/core/ipv4/,autoip.c dhcp.c etharp.c icmp.c igmp.c ip4.c \
                 ip4_addr.c ip4_frag.c) \
             src/netif/ethernet.c
LWIP_OBJS  := $(patsubst %.c,$(BUILD)/lib/lwip/obj/%.o,$(LWIP_SRCS))
LWIP_PORT_OBJS := $(patsubst lib/lwip/%,$(BUILD)/lib/lwip/%.o,$(wildcard lib/lwip/port/*.c))

$(LWIP_STAMP): scripts/fetch-lwip.sh | $(DEPS_STAMP)
	bash scripts/fetch-lwip.sh $(BUILD)
	touch $@

# lwIP's own files: warning-free under -Wall -Wextra with this lwipopts.h.
$(LWIP_OBJS): $(BUILD)/lib/lwip/obj/%.o: $(LWIP_STAMP) lib/lwip/lwip.mk
	@mkdir -p $(@D)
	$(TCC) $(PD_CFLAGS) $(LWIP_CFLAGS) -c -o $@ $(LWIP_DIR)/$*.c

$(LWIP_PORT_OBJS): $(BUILD)/lib/lwip/%.c.o: lib/lwip/%.c $(LWIP_STAMP) lib/lwip/lwip.mk
	@mkdir -p $(@D)
	$(TCC) $(PD_CFLAGS) $(LWIP_CFLAGS) -c -o $@ $<

$(LIBLWIP): $(LWIP_OBJS) $(LWIP_PORT_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(CROSS)ar rcs $@ $^
