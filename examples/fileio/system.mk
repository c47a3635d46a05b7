# The shell is ordinary C on picolibc and the file-system client.
examples/fileio_PD_CFLAGS = $(LIBC_CFLAGS)
examples/fileio_PD_LIBS   = $(LIBC_LIBS)
# make run SYSTEM=fileio: a 64 MiB FAT32 disk made from files/ (mkfs.fat and
# mcopy), or DISK=path: the user's own image (a bare FAT volume, or an MBR
# or GPT disk whose first FAT partition is used).
FILEIO_IMAGE := $(BUILD)/examples/fileio/disk.img
DISK ?= $(FILEIO_IMAGE)
examples/fileio_QEMU_ARGS = -global virtio-mmio.force-legacy=false \
    -drive file=$(DISK),if=none,format=raw,id=d0 -device virtio-blk-device,drive=d0
examples/fileio_RUN_DEPS = $(filter $(FILEIO_IMAGE),$(DISK))
$(FILEIO_IMAGE): $(shell find examples/fileio/files | sed 's/ /\\ /g') examples/fileio/system.mk | $(DEPS_STAMP)
	@mkdir -p $(@D)
	rm -f $@ && mkfs.fat -C -F 32 -s 1 -n PRIDE $@ 65536 >/dev/null && mcopy -s -i $@ examples/fileio/files/* ::/
