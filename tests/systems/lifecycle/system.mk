# The parents share report.c, a further source of each of their programs.
tests/systems/lifecycle/call_faulted_SRCS := report.c
tests/systems/lifecycle/via_middle_SRCS   := report.c
tests/systems/lifecycle/requeue_SRCS      := report.c
tests/systems/lifecycle/grandparent_SRCS  := report.c
