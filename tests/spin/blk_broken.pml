/*
 * The model of tests/spin/blk.pml with the driver taking requests whatever
 * room the response queue has left: with more device slots than response
 * slots and a client that falls behind, a completed request finds no room
 * for its answer. Spin must report an error for this model;
 * tests/spin/run.sh fails if it does not.
 */
#define TAKE_WITHOUT_ROOM
#include "blk.pml"
