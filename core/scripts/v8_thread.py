"""V8's thread as the host sees it: its Python thread state, and the CPU it runs on.

mini-racer runs the isolate on a thread of its own and answers through a ctypes callback.
A blocking evaluation (a pre-request or test script) is a strict hand-over: the loop thread
posts the task and sleeps, V8 runs it, answers and sleeps. Two costs come with each one:

- ctypes gives a foreign thread a Python thread state for the length of one callback: made
  and freed on every answer (with a 16 KB frame stack mapped and unmapped each time);
  :meth:`V8Thread.adopt` keeps the first one instead.
- On a VM, waking a thread that sleeps on another vCPU costs an inter-processor interrupt
  through the hypervisor, and the script's data travels between two cores' caches. Waking
  on the same CPU costs neither, and nothing runs in parallel during the hand-over anyway:
  :meth:`V8Thread.sharing_cpu` binds both threads to the waiting thread's CPU for its wait.
  The bench's 1000 requests with scripts: wall time −9 to −14 % (interleaved runs).

The loop thread is bound only while it waits, so it stays free to move; V8's thread follows
it at the next blocking evaluation and is set free before an asynchronous one (message
scripts run behind a stream that goes on reading). Linux only; elsewhere, or where the
system refuses, threads stay where the scheduler puts them.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any


def _sched_getcpu() -> Any:
    """libc's ``sched_getcpu`` (the calling thread's CPU, from the vDSO), or None."""
    if not (sys.platform.startswith("linux") and hasattr(os, "sched_setaffinity")):
        return None
    try:
        getcpu = ctypes.CDLL(None).sched_getcpu
    except (AttributeError, OSError):
        return None
    getcpu.restype = ctypes.c_int
    getcpu.argtypes = []
    return getcpu


class V8Thread:
    """Learnt at V8's first answer (:meth:`adopt`); placed by the thread that waits for it."""

    def __init__(self) -> None:
        self._getcpu = _sched_getcpu()
        self._tid: int | None = None
        self._gil_state: int | None = None
        self._cpu: int | None = None  # the one CPU V8's thread is bound to; None: any
        self._allowed: set[int] | None = None  # the waiting thread's CPUs outside its waits

    def adopt(self) -> None:
        """Called on V8's thread in every answer callback (it holds the GIL): the first time,
        learn the thread's id and keep its Python thread state (one more reference)."""
        if self._tid is None:
            self._tid = threading.get_native_id()
            self._gil_state = ctypes.pythonapi.PyGILState_Ensure()

    @property
    def adopted(self) -> bool:
        return self._gil_state is not None

    def disown(self) -> None:
        """Called on V8's thread in an answer callback, before the context (and with it the
        thread) ends: the kept thread state goes with that callback's own."""
        if self._gil_state is not None:
            ctypes.pythonapi.PyGILState_Release(self._gil_state)
            self._gil_state = None

    @contextlib.contextmanager
    def sharing_cpu(self) -> Iterator[None]:
        """For a blocking evaluation: V8's thread and the calling one on the caller's CPU."""
        cpu = self._getcpu() if self._getcpu is not None and self._tid is not None else -1
        if cpu < 0 or not self._bind(cpu):
            yield
            return
        try:
            yield
        finally:
            assert self._allowed is not None
            self._set(0, self._allowed)

    def free(self) -> None:
        """Before an asynchronous evaluation: V8's thread may run on any allowed CPU."""
        if self._tid is not None and self._cpu is not None and self._allowed is not None:
            self._set(self._tid, self._allowed)
            self._cpu = None

    def _bind(self, cpu: int) -> bool:
        """Both threads onto ``cpu``; False (and placing given up) where not allowed."""
        if self._allowed is None:
            try:
                self._allowed = os.sched_getaffinity(0)
            except OSError:  # a sandbox that hides CPU sets: leave placing to the system
                self._getcpu = None
                return False
        assert self._tid is not None
        if cpu != self._cpu:
            if not self._set(self._tid, {cpu}):
                return False
            self._cpu = cpu
        return self._set(0, {cpu})

    def _set(self, tid: int, cpus: set[int]) -> bool:
        """Bind thread ``tid`` (0: the calling one) to ``cpus``."""
        try:
            os.sched_setaffinity(tid, cpus)
        except OSError:  # refused (a container's policy, a CPU taken away): stop placing
            self._getcpu = None
            return False
        return True
