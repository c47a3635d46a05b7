/*
 * Host test of lib/lwip/port/chksum.c against chksum_reference.h: every
 * length 0..300 at every alignment 0..7, then 10,000 random buffers up to 9,000 bytes, then the
 * all-0xff worst case for carries. Runs under ASan/UBSan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pride_lwip.h>
#include "chksum_reference.h"

static int check(const char *name, const uint8_t *p, int len)
{
    uint16_t want = chksum_reference(p, len), got = pride_lwip_chksum(p, len);
    if (chksum_same(want, got))
        return 0;
    printf("FAIL: chksum_%s len %d: got %04x, want %04x\n", name, len, got, want);
    return 1;
}

int main(void)
{
    static uint8_t buffer[9000 + 8];
    int failures = 0;
    srand(1071);
    for (size_t i = 0; i < sizeof(buffer); i++)
        buffer[i] = (uint8_t)rand();
    for (int align = 0; align < 8; align++)
        for (int len = 0; len <= 300; len++)
            failures += check("lengths_alignments", buffer + align, len);
    printf("%s: chksum_lengths_alignments\n", failures ? "FAIL" : "PASS");
    int before = failures;
    for (int n = 0; n < 10000; n++) {
        int len = rand() % 9001, align = rand() % 8;
        for (int i = 0; i < len; i++)
            buffer[align + i] = (uint8_t)rand();
        failures += check("random", buffer + align, len);
    }
    printf("%s: chksum_random\n", failures > before ? "FAIL" : "PASS");
    before = failures;
    memset(buffer, 0xff, sizeof(buffer));
    for (int len = 9000 - 16; len <= 9000; len++)
        failures += check("all_ones", buffer, len);
    printf("%s: chksum_all_ones\n", failures > before ? "FAIL" : "PASS");
    return failures != 0;
}
