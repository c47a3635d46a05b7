/*
 * The model of tests/spin/lifecycle.pml with rules 4 and 5 as the kernel
 * once had them: when a parent restarts or stops a PD that was handling a
 * fault of its own child, that fault is dropped instead of going back to
 * the head of the PD's queue. The child stays faulted with nobody to hear
 * of it: G restarts P while P handles C's fault, and C is lost. Spin must
 * report an error for this model; tests/spin/run.sh fails if it does not.
 */
#define DETACH_FORGETS_FAULT
#include "lifecycle.pml"
