# bench/ipc's programs, their figures named with a _budgeted suffix.
bench/ipc_budget_PROGRAMS = client=bench/ipc/client.c server=bench/ipc/server.c \
    sink=bench/ipc/sink.c peer=bench/ipc/peer.c
bench/ipc_budget/client_CFLAGS = -DFIGURE_SUFFIX='"_budgeted"'
