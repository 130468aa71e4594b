"""Serve an ASGI app on a free 127.0.0.1 port, in the current event loop or in its own thread.

Also `Notifier`: waits for "something changed" across event loops and threads, which the fakes
need because their state is mutated by the server loop and read by the test's loop; and
`ServedFake`, the lifecycle every fake API served this way shares.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, Self

import uvicorn
from starlette.types import ASGIApp

Hook = Callable[[], Awaitable[None]]
START_TIMEOUT = 10.0


class Notifier:
    """Wake coroutines waiting in any loop or thread when shared state changes.

    `asyncio.Condition` belongs to one loop and is not thread-safe; the fake runs either in the
    test's loop or in a thread of its own, so each waiter registers its (loop, event) pair and
    `notify()` sets the event through that loop.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def notify(self) -> None:
        with self._lock:
            waiters = list(self._waiters)
        try:
            current: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            current = None
        for loop, event in waiters:
            if loop is current:
                event.set()
            else:
                # The waiter's loop may have closed since it registered; nothing to wake then.
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(event.set)

    async def wait_until(self, predicate: Callable[[], bool], timeout: float | None) -> bool:  # noqa: ASYNC109
        """Wait until `predicate()` holds; False if `timeout` seconds pass first."""
        event = asyncio.Event()
        entry = (asyncio.get_running_loop(), event)
        with self._lock:
            self._waiters.add(entry)
        try:
            async with asyncio.timeout(timeout):
                # Registered before the first check, cleared before each re-check: no lost wakeup.
                while not predicate():
                    await event.wait()
                    event.clear()
            return True
        except TimeoutError:
            return predicate()
        finally:
            with self._lock:
                self._waiters.discard(entry)


class _Server(uvicorn.Server):
    """A uvicorn server that reports readiness and leaves the process's signal handlers alone."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_ready = on_ready

    async def startup(self, sockets: list[Any] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            self._on_ready()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # uvicorn would take over SIGINT/SIGTERM; Ctrl-C must keep reaching pytest.
        yield


class LoopbackServer:
    """One ASGI app on `http://127.0.0.1:<free port>`.

    `on_start` runs in the server's loop once it accepts connections; `on_stop` runs there before
    shutdown (e.g. to release long-polling requests, which uvicorn would otherwise wait for).
    """

    def __init__(
        self, app: ASGIApp, *, on_start: Hook | None = None, on_stop: Hook | None = None
    ) -> None:
        self._app = app
        self._on_start = on_start
        self._on_stop = on_stop
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._thread_stop: asyncio.Event | None = None
        self._thread_error: BaseException | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        """Start serving in the running loop; returns once connections are accepted."""
        ready = asyncio.Event()
        config = uvicorn.Config(
            self._app,
            host="127.0.0.1",
            port=0,
            log_level="warning",
            log_config=None,  # do not reconfigure the process's logging
            access_log=False,
            lifespan="off",
            ws="none",  # websockets' legacy module would warn on import
            timeout_graceful_shutdown=5,
        )
        self._server = _Server(config, ready.set)
        self.loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._server.serve(), name="loopback-server")
        waiter = asyncio.create_task(ready.wait())
        await asyncio.wait(
            {self._task, waiter}, timeout=START_TIMEOUT, return_when="FIRST_COMPLETED"
        )
        if not ready.is_set():
            waiter.cancel()
            await self._abort_start()
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        if self._on_start is not None:
            await self._on_start()

    async def _abort_start(self) -> None:
        assert self._server is not None
        assert self._task is not None
        self._server.should_exit = True
        try:
            await self._task  # uvicorn exits with SystemExit when it cannot bind
        except BaseException as exc:
            raise RuntimeError("loopback server failed to start") from exc
        raise RuntimeError("loopback server did not start in time")

    async def stop(self) -> None:
        if self._server is None or self._task is None:
            return
        try:
            if self._on_stop is not None:
                await self._on_stop()
        finally:
            self._server.should_exit = True
            await self._task
            self._server = self._task = None

    async def __aenter__(self) -> LoopbackServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def start_in_thread(self) -> None:
        """Serve from a new thread with its own event loop; returns once it accepts connections."""
        if self._thread is not None:
            raise RuntimeError("already running in a thread")
        ready = threading.Event()
        self._thread = threading.Thread(
            target=asyncio.run, args=(self._thread_main(ready),), name="loopback", daemon=True
        )
        self._thread.start()
        ready.wait(START_TIMEOUT + 1)
        if self._thread_error is not None or not ready.is_set():
            self._thread.join(1)
            self._thread = None
            raise RuntimeError("loopback server thread failed to start") from self._thread_error

    async def _thread_main(self, ready: threading.Event) -> None:
        self._thread_stop = asyncio.Event()
        try:
            await self.start()
        except BaseException as exc:
            self._thread_error = exc
            return
        finally:
            ready.set()
        await self._thread_stop.wait()
        await self.stop()

    def stop_thread(self) -> None:
        if self._thread is None:
            return
        assert self.loop is not None
        assert self._thread_stop is not None
        self.loop.call_soon_threadsafe(self._thread_stop.set)
        self._thread.join()
        self._thread = None


class ServedFake:
    """A fake API served by its `LoopbackServer`: in the test's loop (`async with`), or from
    a thread with its own loop, so the bot's loop does not also run the fake."""

    _server: LoopbackServer

    async def __aenter__(self) -> Self:
        await self._server.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._server.stop()

    def start_in_thread(self) -> None:
        self._server.start_in_thread()

    def stop_thread(self) -> None:
        self._server.stop_thread()
