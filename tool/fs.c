/*
 * The <fs> subsystem element (docs/tool.md): a file-system server and its
 * one client. Lowers to the command and completion queues (a page each),
 * the shared data region, the channel between the two (FS_CH at both
 * ends) and both config structs (fs/config.h). The server reaches its disk
 * as a <client> of a <blk> element and its clock as one of an <rtc>.
 */
#include "tool.h"
#include "fs/config.h"
#include "fs/protocol.h"

void lower_fs(struct lowering *L, const struct xml_node *n)
{
    static const char *const attrs[] = {"server", "client", "data_size", NULL};
    check_attrs(n, attrs);
    struct xml_node *server = lower_pd(L, n, "server", true);
    struct xml_node *client = lower_pd(L, n, "client", true);
    const struct xml_node *pds[2] = {server, client};
    uint64_t size = num_attr(n, "data_size", 0x40000, PAGE_SIZE_SMALL, FS_MAX_DATA_SIZE);
    if (size % PAGE_SIZE_SMALL)
        fail_at(attr_line(n, "data_size"), "data_size %#llx is not a multiple of 0x1000",
                (unsigned long long)size);
    if (n->children)
        fail_at(n->children->line, "<fs> takes no children");
    lower_check_roles(L, pds, 2);
    lower_check_above(L, n->line, server, "server", client, "client");
    struct fs_config s = {.header = {FS_SERVER_MAGIC, FS_CONFIG_VERSION}, .data_size = size};
    struct fs_config c = {.header = {FS_CLIENT_MAGIC, FS_CONFIG_VERSION}, .data_size = size};
    const char *names[3] = {lower_name(L, client, "fs_commands"), lower_name(L, client, "fs_completions"),
                            lower_name(L, client, "fs_data")};
    uint64_t sizes[3] = {FS_QUEUE_REGION_SIZE, FS_QUEUE_REGION_SIZE, size};
    uint64_t *in_server[3] = {&s.commands, &s.completions, &s.data_vaddr};
    uint64_t *in_client[3] = {&c.commands, &c.completions, &c.data_vaddr};
    for (unsigned i = 0; i < 3; i++) {
        lower_region(L, names[i], sizes[i], 0);
        *in_server[i] = lower_map(L, server, names[i], sizes[i], "rw", true);
        *in_client[i] = lower_map(L, client, names[i], sizes[i], "rw", true);
    }
    lower_channel(L, server, FS_CH, false, client, FS_CH);
    lower_config(L, server, "fs_server_config", &s, sizeof(s));
    lower_config(L, client, "fs_client_config", &c, sizeof(c));
}
