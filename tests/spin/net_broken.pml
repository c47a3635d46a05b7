/*
 * The model of tests/spin/net.pml with the protocol broken on purpose: the
 * virtualiser returns buffers on the free queue but never notifies the
 * driver, although the driver asked for a signal because it has no buffer
 * left for the frames the device holds. The driver sleeps with empty buffers
 * sitting in its free queue: a frame is never delivered and the buffers are
 * stuck. Spin must report an error for this model; tests/spin/run.sh fails
 * if it does not.
 */
#define VIRT_SKIPS_FREE_SIGNAL
#include "net.pml"
