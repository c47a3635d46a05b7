# The HTTP server links lwIP (and picolibc) and the file-system client.
# PUT under /upload/ takes bodies up to UPLOAD_LIMIT bytes.
UPLOAD_LIMIT ?= 16777216
examples/webserver/httpd_CFLAGS = $(LWIP_CFLAGS) -DHTTPD_UPLOAD_LIMIT=$(UPLOAD_LIMIT)
examples/webserver/httpd_LIBS   = $(LWIP_LIBS)
# make run SYSTEM=webserver: the site's disk made from www/ (or WWW=dir),
# and 127.0.0.1:8080 (only) forwarded to the server's port 80.
WWW ?= examples/webserver/www
WEB_DISK := $(BUILD)/examples/webserver/www.img
examples/webserver_QEMU_ARGS = -global virtio-mmio.force-legacy=false \
    -netdev user,id=n0,hostfwd=tcp:127.0.0.1:8080-10.0.2.15:80 -device virtio-net-device,netdev=n0 \
    -drive file=$(WEB_DISK),if=none,format=raw,id=d0 -device virtio-blk-device,drive=d0
examples/webserver_RUN_DEPS = web-disk
.PHONY: web-disk
web-disk: | $(DEPS_STAMP)
	@mkdir -p $(dir $(WEB_DISK))
	rm -f $(WEB_DISK) && mkfs.fat -C -F 32 -s 1 -n PRIDE-WWW $(WEB_DISK) 65536 >/dev/null && \
	    mcopy -s -i $(WEB_DISK) $(WWW)/* ::/
