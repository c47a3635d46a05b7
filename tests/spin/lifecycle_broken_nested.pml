/*
 * The model of tests/spin/lifecycle.pml with rule 3 as the kernel once had
 * it: a faulting PD gives the error reply only to a caller that is its own
 * parent. When P calls M and M calls P's child C, and C faults while
 * serving M, M keeps waiting on C, P keeps waiting on M, and C's fault
 * stays queued on P, which never receives again. Spin must report an
 * error for this model; tests/spin/run.sh fails if it does not.
 */
#define FAULT_KEEPS_CALLER
#include "lifecycle.pml"
