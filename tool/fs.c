/*
 * The <fs> subsystem element (docs/tool.md): a file-system server and its
 * one client. Lowers to the command and completion queues (a page each),
 * the shared data region, the channel between the two (FS_CH at both
 * ends) and both config structs (fs/config.h). The server reaches its disk
 * as a <client> of a <blk> element and its clock as one of an <rtc>.
 */
#include <stdio.h>
#include <string.h>

#include "tool.h"
#include "fs/config.h"
#include "fs/protocol.h"

#define FS_DEFAULT_DATA_SIZE 0x40000

static uint64_t shared_size(const struct xml_node *n)
{
    uint64_t size = num_attr(n, "data_size", FS_DEFAULT_DATA_SIZE, PAGE_SIZE_SMALL, FS_MAX_DATA_SIZE);
    if (size % PAGE_SIZE_SMALL)
        fail_at(attr_line(n, "data_size"), "data_size %#llx is not a multiple of 0x1000",
                (unsigned long long)size);
    return size;
}

static const char *shared_name(const struct xml_node *n)
{
    const char *client = find_attr(n, "client") ? find_attr(n, "client")->value : "";
    size_t len = strlen(client) + sizeof("fs__data");
    char *name = xcalloc(len, 1);
    snprintf(name, len, "fs_%s_data", client);
    return name;
}

uint64_t lower_fs_shared(const struct lowering *L, const struct xml_node *server,
                         const char **region)
{
    const char *name = lower_pd_name(server);
    for (const struct xml_node *n = lower_root(L)->children; n; n = n->next) {
        const struct xml_attr *s = strcmp(n->name, "fs") ? NULL : find_attr(n, "server");
        if (s && !strcmp(s->value, name)) {
            *region = shared_name(n);
            return shared_size(n);
        }
    }
    return 0;
}

/* The shared region: placed by the server's <blk> if it has one (the
 * device then moves data straight to and from it), else anywhere. */
static uint64_t share_data(struct lowering *L, const struct xml_node *n, struct xml_node *server,
                           struct xml_node *client, struct fs_config *s, struct fs_config *c)
{
    const char *name = shared_name(n);
    if (!lower_placed(L, name, &s->blk_offset)) {
        s->blk_offset = FS_NOT_IN_BLOCK_DATA;
        lower_region(L, name, s->data_size, 0);
    }
    c->blk_offset = s->blk_offset;
    s->data_vaddr = lower_map(L, server, name, s->data_size, "rw", true);
    return c->data_vaddr = lower_map(L, client, name, c->data_size, "rw", true);
}

void lower_fs(struct lowering *L, const struct xml_node *n)
{
    static const char *const attrs[] = {"server", "client", "data_size", NULL};
    check_attrs(n, attrs);
    struct xml_node *server = lower_pd(L, n, "server", true);
    struct xml_node *client = lower_pd(L, n, "client", true);
    const struct xml_node *pds[2] = {server, client};
    uint64_t size = shared_size(n);
    if (n->children)
        fail_at(n->children->line, "<fs> takes no children");
    lower_check_roles(L, pds, 2);
    lower_check_above(L, n->line, server, "server", client, "client");
    struct fs_config s = {.header = {FS_SERVER_MAGIC, FS_CONFIG_VERSION}, .data_size = size};
    struct fs_config c = {.header = {FS_CLIENT_MAGIC, FS_CONFIG_VERSION}, .data_size = size};
    const char *names[2] = {lower_name(L, client, "commands"), lower_name(L, client, "completions")};
    uint64_t *in_server[2] = {&s.commands, &s.completions};
    uint64_t *in_client[2] = {&c.commands, &c.completions};
    for (unsigned i = 0; i < 2; i++) {
        lower_region(L, names[i], FS_QUEUE_REGION_SIZE, 0);
        *in_server[i] = lower_map(L, server, names[i], FS_QUEUE_REGION_SIZE, "rw", true);
        *in_client[i] = lower_map(L, client, names[i], FS_QUEUE_REGION_SIZE, "rw", true);
    }
    share_data(L, n, server, client, &s, &c);
    lower_channel(L, server, FS_CH, false, client, FS_CH);
    lower_config(L, server, "fs_server_config", &s, sizeof(s));
    lower_config(L, client, "fs_client_config", &c, sizeof(c));
    lower_note_stats(L, server, FS_SERVER_STATS_CH);
}
