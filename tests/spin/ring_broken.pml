/*
 * The model of tests/spin/ring.pml with the protocol broken on purpose: the
 * consumer sets its "signal me" flag and goes to sleep without looking at
 * the ring again. The producer can publish between the consumer's last look
 * and the flag being set, see no flag and not notify: the item is left
 * unseen while the consumer sleeps. Spin must report an error for this
 * model; tests/spin/run.sh fails if it does not.
 */
#define CONSUMER_SKIPS_RECHECK
#include "ring.pml"
