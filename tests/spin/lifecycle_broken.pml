/*
 * The model of tests/spin/lifecycle.pml with rule 1 as the kernel once had
 * it: a call to a faulted server is queued on it, like a call to a busy
 * one, instead of being answered with the error reply at once. A parent
 * that calls its child after the child faulted, with the fault queued on
 * the parent, then waits on the child for ever, and the child waits for
 * the parent's fault handler for ever. Spin must report an error for this
 * model; tests/spin/run.sh fails if it does not.
 */
#define CALL_QUEUES_ON_FAULTED
#include "lifecycle.pml"
