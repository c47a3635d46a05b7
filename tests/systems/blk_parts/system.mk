# Both clients are the block tester.
tests/systems/blk_parts_PROGRAMS = tester=tests/systems/blk_basic/tester.c
