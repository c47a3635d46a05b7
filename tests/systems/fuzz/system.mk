# The isolation example's heartbeat, watched while the fuzzer runs.
tests/systems/fuzz_PROGRAMS = heartbeat=examples/isolation/heartbeat.c
