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
  :meth:`V8Thread.share_cpu` binds both threads to the waiting thread's CPU for its wait.
  The bench's 1000 requests with scripts: wall time −9 to −14 % (interleaved runs).

The loop thread stays bound for ``HOLD_S`` after its wait: a request's next script comes a
millisecond or two later and finds both threads in place. Binding and freeing it around
every wait cost two system calls (~10 µs each here) and let it drift off the CPU whose
caches V8 had just warmed: in the bench's run, an evaluation's wall time beyond V8's own
run time 111-150 -> 87-108 µs. Then it is freed, so the scheduler can move it at least that
often, and V8's thread follows it at the next blocking evaluation.

An asynchronous evaluation (a batch of message scripts, behind a stream that goes on
reading) is the opposite case: the two should run side by side. Woken by the task, V8's
thread would often be put on the loop thread's CPU and take it over until the batch ends
(the stream's reader stalled 2-6 ms a batch): :meth:`V8Thread.apart` keeps it on the other
CPUs meanwhile. Linux only; elsewhere, or where the system refuses, threads stay where the
scheduler puts them.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import sys
import threading
from typing import Any

HOLD_S = 0.02  # how long the waiting thread stays bound after a blocking evaluation


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
        self._v8_cpus: set[int] | None = None  # the CPUs V8's thread is bound to; None: any
        self._allowed: set[int] | None = None  # the waiting thread's CPUs outside its waits
        # the thread share_cpu bound to V8's CPU, and the loop timer that frees it
        self._held: tuple[int, asyncio.TimerHandle] | None = None

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

    def share_cpu(self) -> None:
        """Before a blocking evaluation: V8's thread and the calling one on the caller's CPU,
        the caller kept there until ``HOLD_S`` after the first of such evaluations."""
        caller = threading.get_native_id()
        if self._held is None or self._held[0] != caller:
            self.release()  # another thread waits now (none does in a run): free the one held
            self._hold(caller)

    def _hold(self, caller: int) -> None:
        """Bind V8's thread and the caller to the caller's CPU; the loop frees the caller."""
        loop = asyncio.get_running_loop()
        cpu = self._caller_cpu()
        if cpu is None or not self._bind_v8({cpu}):
            return
        if not self._set(caller, {cpu}):
            assert self._allowed is not None
            self._bind_v8(self._allowed)  # refused for this thread: V8's may run anywhere again
            return
        self._held = (caller, loop.call_later(HOLD_S, self.release))

    def release(self) -> None:
        """The thread :meth:`share_cpu` holds on one CPU free to move again (from any
        thread: the engine's close, or the loop's timer)."""
        if self._held is None:
            return
        (holder, timer), self._held = self._held, None
        timer.cancel()
        assert self._allowed is not None
        self._set(holder, self._allowed)

    def apart(self) -> None:
        """Before an asynchronous evaluation: V8's thread on any allowed CPU but the
        caller's (with one CPU allowed, on that one)."""
        self.release()
        cpu = self._caller_cpu()
        if cpu is not None:
            assert self._allowed is not None
            self._bind_v8(self._allowed - {cpu} or self._allowed)

    def _caller_cpu(self) -> int | None:
        """The calling thread's CPU, once V8's thread is known and placing is possible
        (its allowed CPUs learnt at the first call); None: leave placing to the system."""
        if self._getcpu is None or self._tid is None:
            return None
        if self._allowed is None:
            try:
                self._allowed = os.sched_getaffinity(0)
            except OSError:  # a sandbox that hides CPU sets: leave placing to the system
                self._getcpu = None
                return None
        cpu = self._getcpu()
        return cpu if cpu >= 0 else None

    def _bind_v8(self, cpus: set[int]) -> bool:
        """V8's thread onto ``cpus`` (one call only when they change); False where refused."""
        assert self._tid is not None
        if cpus != self._v8_cpus:
            if not self._set(self._tid, cpus):
                return False
            self._v8_cpus = cpus
        return True

    def _set(self, tid: int, cpus: set[int]) -> bool:
        """Bind thread ``tid`` to ``cpus``."""
        try:
            os.sched_setaffinity(tid, cpus)
        except OSError:  # refused (a container's policy, a CPU taken away): stop placing
            self._getcpu = None
            return False
        return True
