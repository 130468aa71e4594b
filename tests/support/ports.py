"""Loopback ports for other processes to listen on, held so that nothing else takes them.

A port found free and then released can be taken by any program before the child binds it.
A held port stays bound here (with SO_REUSEADDR, never listening): the kernel hands it to
nobody else and refuses a plain bind, yet the child's own bind succeeds, because uvicorn and
PostgreSQL set SO_REUSEADDR and Linux lets that bind beside a socket that does not listen.
Connections reach the child's listening socket; with no child there, they are refused.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing, contextmanager


def held_port() -> socket.socket:
    """A socket holding a loopback port the kernel chose; close it to release the port."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def held_ports() -> Iterator[Callable[[], int]]:
    """A function handing out held ports; all are released when the block ends."""
    with ExitStack() as held:

        def reserve() -> int:
            return int(held.enter_context(closing(held_port())).getsockname()[1])

        yield reserve
