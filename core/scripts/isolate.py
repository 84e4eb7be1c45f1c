"""The run's V8 isolate: made once, the sandbox's JavaScript loaded into it, kept healthy.

Kept apart from the engine (which only evaluates scripts in it) because how the isolate
starts and how it uses memory are their own concerns: start-up time and peak RSS.

Starting V8 (loading mini-racer's 74 MB library, making the isolate, compiling the
sandbox) takes ~60 ms of a one-request run, nearly all of it native code that releases
the GIL. :func:`prestart` does that on a thread as soon as the CLI knows the collection
has scripts, while Python still imports and prepares the run; :func:`open_isolate` then
binds the isolate to the run's event loop, where evaluations are cheapest (a context
evaluated from its own running loop skips mini-racer's hop through a private loop thread).
mini-racer ties a ``MiniRacer`` to one loop for good, so the context is wrapped here
(:class:`Isolate`) with the same calls the engine uses.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ctypes
import dataclasses
import itertools
import json
import mmap
import sys
import threading
import time
from importlib import resources
from typing import TYPE_CHECKING, Any

from wirecall.core.scripts.v8_thread import V8Thread

if TYPE_CHECKING:
    from collections.abc import Callable

    from py_mini_racer import PythonJSConvertedTypes

# Load order matters: runtime first (it defines the shared namespace), pm and legacy last.
SOURCES = (
    "runtime.js",
    "console.js",
    "timers.js",
    "builtins.js",
    "json.js",
    "expect.js",
    "modules.js",
    "variables.js",
    "sdk.js",
    "pm.js",
    "legacy.js",
    "entry.js",
)

V8_FLAGS = (
    "--single-threaded",  # mini-racer's default: no helper threads
    # V8 guards its code pages with x86 memory protection keys, whose access rights belong
    # to the threads that existed at V8's start or were made after it; an isolate made on
    # one thread and freed on another (as :func:`prestart` does) would fault.
    "--no-memory-protection-keys",
    # No TurboFan (Maglev still compiles hot code) and a 1 MB young generation: a collection's
    # scripts are short, so the top-tier compiler brings them nothing but pages in its code
    # and grows the heap. Peak RSS of the bench's 1000-request run: 114.7 -> 106.1 MB; CPU
    # per request unchanged; a CPU-bound script (3M-step loop, 200k objects) as fast.
    # (--lite-mode saved 4 MB more but ran such a script 2-4x slower: interpreter only.)
    "--no-opt",
    "--max-semi-space-size=1",
)


def sandbox_sources() -> list[tuple[str, str]]:
    """The sandbox's JavaScript files, in load order (missing optional ones skipped)."""
    folder = resources.files("wirecall.core.scripts") / "js"
    return [
        (name, (folder / name).read_text("utf-8")) for name in SOURCES if (folder / name).is_file()
    ]


def _release_loader_pages() -> None:
    """Hand the V8 library's first, read-only segment back to the page cache (Linux).

    Loading libmini_racer.so makes the dynamic linker read its 16 MB of relocations and its
    symbol tables, which then stay resident (~20 MB of every run's peak RSS) though nothing
    reads them again. They are clean pages of the file: dropping them is what the kernel
    does under memory pressure, and a later read faults them back in from the file. (The
    relocated, written segment is another mapping, at a non-zero file offset.)
    """
    global _loader_pages_released
    if _loader_pages_released or not sys.platform.startswith("linux"):
        return
    _loader_pages_released = True
    try:
        with open("/proc/self/maps", encoding="ascii") as maps:
            lines = maps.read().splitlines()
    except OSError:
        return
    madvise = ctypes.CDLL(None).madvise
    for fields in map(str.split, lines):
        # address range, permissions, file offset, device, inode, path
        if len(fields) == 6 and fields[5].endswith("/libmini_racer.so"):
            if fields[1] == "r--p" and int(fields[2], 16) == 0:
                start, end = (int(address, 16) for address in fields[0].split("-"))
                madvise(ctypes.c_void_p(start), ctypes.c_size_t(end - start), mmap.MADV_DONTNEED)


_loader_pages_released = False


# A full collection (V8's low-memory notification) after this many evaluations: ~15 M
# instructions each, and V8 then compiles the sandbox's functions anew. Every 2000 (not
# 500): the bench's 1000-request run spends ~58 k fewer instructions per request on V8's
# thread for 6.5 MB more peak RSS (91 -> 97.5 MB).
GC_EVERY_SCRIPTS = 2000
BLOCKING_CALL = 2**62  # callback id of :meth:`Isolate.eval_blocking` (mini-racer counts from 1)
DISOWN_CALL = BLOCKING_CALL + 1  # the last one, on close: V8's thread drops its thread state
CLOSE_WAIT_S = 5.0  # how long close() waits for V8's thread to drop its thread state
CANCEL_CHECK_S = 0.1  # how often a blocking evaluation looks for its task's cancellation


class Isolate:
    """One V8 context, driven from one asyncio loop at a time (:meth:`bind` moves it).

    The same context calls as ``MiniRacer`` (mini-racer's ``Context``), made the way
    ``MiniRacer()`` makes them, except that V8's answers go to the loop it is bound to now.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        from py_mini_racer import init_mini_racer
        from py_mini_racer._context import Context
        from py_mini_racer._dll import mr_callback_func
        from py_mini_racer._objects import ObjectFactoryImpl
        from py_mini_racer._set_timeout import INSTALL_SET_TIMEOUT

        self._handle: Any = None
        self._scripts_since_gc = 0
        self._answered = threading.Lock()  # released by V8's answer to a blocking evaluation
        self._answered.acquire()
        self._blocking_answer: Any = None
        self._entry: Any = None  # handles of __wirecall_call and of an empty argument list
        self._no_arguments: Any = None
        self._v8 = V8Thread()
        self._dll = init_mini_racer(flags=V8_FLAGS, ignore_duplicate_init=True)
        _release_loader_pages()

        @mr_callback_func
        def answer(callback_id: int, raw: Any) -> None:  # on V8's thread: hand over, fast
            self._v8.adopt()
            if callback_id >= BLOCKING_CALL:
                if callback_id == DISOWN_CALL:
                    self._v8.disown()
                self._blocking_answer = raw
                self._answered.release()
            else:
                self._ctx.handle_callback_from_v8(callback_id, raw)

        self._answer = answer  # ctypes calls it for as long as the context lives
        self._handle = self._dll.mr_init_context(answer)
        # Callback id 0 is mini-racer's "not cancelable" channel; cancelable ids start at 1.
        self._ctx = Context(self._dll, self._handle, loop, ObjectFactoryImpl(), itertools.count(1))
        self._install_set_timeout = INSTALL_SET_TIMEOUT

    async def load_sandbox(self) -> list[str]:
        """The sandbox into this fresh isolate; the legacy global names a script may use.

        Two evaluations, not one per file: each is a round trip through V8's thread and the
        GIL, which a prestart thread has to win from the busy main thread every time. Each
        file is still compiled on its own, under its own name, by an indirect ``eval``.
        """
        await self.eval_cancelable(self._install_set_timeout)  # first, as MiniRacer() does
        named = (
            json.dumps(f"{source}\n//# sourceURL=wirecall/{name}")
            for name, source in sandbox_sources()
        )
        files = "".join(f"(0, eval)({text});\n" for text in named)
        loaded = f"{files}__wirecall.sealGlobals();\nJSON.stringify(__wirecall_legacyNames)"
        legacy_names = json.loads(await self.eval_cancelable(loaded))
        to_handle = self._ctx._python_to_value_handle
        self._entry = to_handle(await self.eval_cancelable("__wirecall_call"))
        self._no_arguments = to_handle(await self.eval_cancelable("[]"))
        return legacy_names

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Evaluate from ``loop`` from now on (nothing may be pending on the old one)."""
        self._ctx = dataclasses.replace(self._ctx, event_loop=loop)

    async def eval_cancelable(self, code: str) -> PythonJSConvertedTypes:
        self._v8.apart()  # the loop goes on meanwhile: V8 on another CPU
        return await self._ctx.eval_cancelable(code)

    def eval_blocking(self, code: str, timeout_s: float) -> PythonJSConvertedTypes:
        """Evaluate ``code`` while the loop waits: for short synchronous work, when nothing
        else of the run can go on meanwhile. Cheaper than ``eval_cancelable`` (~100 µs less
        per evaluation here): V8's answer wakes this thread directly instead of taking two
        turns of the loop. Stopped by ``TimeoutError`` after ``timeout_s`` and by the running
        task's cancellation (Ctrl-C), which it looks for every ``CANCEL_CHECK_S``."""
        code_handle = self._ctx._python_to_value_handle(code)  # alive until V8 answered
        return self._blocking(
            lambda: self._dll.mr_eval(self._handle, code_handle.raw, BLOCKING_CALL), timeout_s
        )

    def start_script(self, text: str, timeout_s: float) -> PythonJSConvertedTypes:
        """Call the sandbox's ``__wirecall_call`` with ``text`` as ``this``, blocking as
        :meth:`eval_blocking`: V8 gets the text as a string, not inside code to compile."""
        from py_mini_racer import JSEvalException, JSOOMException

        this = self._ctx._python_to_value_handle(text)
        entry, no_arguments = self._entry.raw, self._no_arguments.raw
        try:
            return self._blocking(
                lambda: self._dll.mr_call_function(
                    self._handle, entry, this.raw, no_arguments, BLOCKING_CALL
                ),
                timeout_s,
            )
        except JSEvalException as exc:  # a call, unlike an evaluation, does not say why
            if self._ctx.was_hard_memory_limit_reached():
                raise JSOOMException("JavaScript memory limit reached") from exc
            raise

    def _blocking(self, start: Callable[[], int], timeout_s: float) -> PythonJSConvertedTypes:
        """Start a V8 task answering on ``BLOCKING_CALL`` and wait for its value."""
        self._v8.share_cpu()
        stopped = self._wait_for_answer(start(), timeout_s)
        answer = self._ctx._wrap_raw_handle(self._blocking_answer)
        self._blocking_answer = None
        if stopped is not None:
            raise stopped
        return self._ctx._value_handle_to_python(answer)

    def _wait_for_answer(self, task_id: int, timeout_s: float) -> BaseException | None:
        """Wait for V8 to answer the blocking task; cancel it on time-out or cancellation
        (V8 then answers at once) and return what stopped it."""
        task = asyncio.current_task()
        deadline = time.monotonic() + timeout_s
        while True:
            left = deadline - time.monotonic()
            if self._answered.acquire(timeout=max(0.0, min(CANCEL_CHECK_S, left))):
                return None
            if left <= 0 or (task is not None and task.cancelling()):
                self._dll.mr_cancel_task(self._handle, task_id)
                self._answered.acquire()
                return TimeoutError() if left <= 0 else asyncio.CancelledError()

    def set_hard_memory_limit(self, limit: int) -> None:
        self._ctx.set_hard_memory_limit(limit)

    def low_memory_notification(self) -> None:
        self._ctx.low_memory_notification()

    def script_done(self) -> None:
        """Every script's source is compiled anew; without a nudge V8 lets that garbage pile
        up for thousands of scripts (a long stream's message scripts) before collecting it."""
        self._scripts_since_gc += 1
        if self._scripts_since_gc >= GC_EVERY_SCRIPTS:
            self._scripts_since_gc = 0
            self.low_memory_notification()

    def heap_stats(self) -> dict[str, Any]:
        return json.loads(self._ctx.heap_stats())

    def close(self) -> None:
        if self._handle is not None:
            self._entry = self._no_arguments = None  # freed while their context lives
            self._v8.release()
            self._disown_v8_thread()
            handle, self._handle = self._handle, None
            self._dll.mr_free_context(handle)

    def _disown_v8_thread(self) -> None:
        """Let V8's thread drop the Python thread state it keeps (V8Thread.adopt) before the
        thread ends with the context; not while the interpreter shuts down."""
        if not self._v8.adopted or sys.is_finalizing():
            return
        code = self._ctx._python_to_value_handle("0")
        self._dll.mr_eval(self._handle, code.raw, DISOWN_CALL)
        if self._answered.acquire(timeout=CLOSE_WAIT_S):
            self._blocking_answer = None  # freed with the context

    def __del__(self) -> None:  # as MiniRacer: an engine that was never closed frees V8
        self.close()


def _start_on_own_loop() -> tuple[Isolate, list[str]]:
    loop = asyncio.new_event_loop()
    try:
        isolate = Isolate(loop)
        return isolate, loop.run_until_complete(isolate.load_sandbox())
    finally:
        loop.close()


_prestarted: concurrent.futures.Future[tuple[Isolate, list[str]]] | None = None


def prestart() -> None:
    """Start V8 and load the sandbox on a thread now; the next :func:`open_isolate` takes it."""
    global _prestarted
    if _prestarted is not None:
        return
    future: concurrent.futures.Future[tuple[Isolate, list[str]]] = concurrent.futures.Future()

    def start() -> None:
        try:
            future.set_result(_start_on_own_loop())
        except BaseException as exc:  # noqa: BLE001 - raised where the run opens the isolate
            future.set_exception(exc)

    _prestarted = future
    threading.Thread(target=start, name="wirecall-v8-start", daemon=True).start()


async def open_isolate(memory_limit_bytes: int) -> tuple[Isolate, list[str]]:
    """An isolate with the sandbox loaded, bound to the running loop (direct, cheap
    evaluations), and the legacy global names a script may use."""
    global _prestarted
    loop = asyncio.get_running_loop()
    if _prestarted is not None:
        future, _prestarted = _prestarted, None
        isolate, legacy_names = await asyncio.wrap_future(future)
        isolate.bind(loop)
    else:
        isolate = Isolate(loop)
        legacy_names = await isolate.load_sandbox()
    isolate.set_hard_memory_limit(memory_limit_bytes)
    return isolate, legacy_names
