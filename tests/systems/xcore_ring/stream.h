/* The ring of producer and consumer: sequence numbers 1..ITEMS. */
#ifndef XCORE_STREAM_H
#define XCORE_STREAM_H

#include <pride/ring.h>

#define ITEMS 10000000u
#define STREAM_CAPACITY 256u /* records after the indices: fits the 4 KiB region */

RING_RECORD_QUEUE(seq, uint64_t)

#endif
