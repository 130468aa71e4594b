"""The HTTP stack alone, per request: the CPU the Graph API client (aiohttp) uses for one send,
the CPU a PTB `Bot` uses for one sendMessage with PTB's default request (httpx) and with ours
(`AiohttpRequest`, aiohttp), and the CPU `serve`'s HTTP server uses for one webhook POST, each
on the standard asyncio loop and on uvloop, the server with uvicorn's h11 protocol (what
`serve` had) or ours (httptools with the guards of `bot.runtime.http_guard`). The whole-bot
load runs are too noisy on a shared 2-core machine to show a few percent; this isolates what
the loop, the client library and the parser change.

    .venv/bin/python -m benchmarks.http_stack          # BENCH_HTTP_REQUESTS=4000 by default
    BENCH_HTTP_ONLY=ptb .venv/bin/python -m benchmarks.http_stack    # the variants named so

The fake Graph (or Bot) API runs in its own process (`benchmarks.load_fake`); the client runs in a
process of its own and reports its own CPU over the sends; the server runs in a process of
its own and its CPU is read from /proc while this process drives it. 16 requests in flight.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine
from functools import partial
from typing import Any

import httpx

from benchmarks import load_meter
from benchmarks.load_fake import fake_process
from benchmarks.load_people import telegram_user, whatsapp_user

IN_FLIGHT = 16
USERS = 50
WARM_UP = 200
BODY = json.dumps({"entry": [{"changes": [{"value": {"text": "biaya paspor " * 40}}]}]})
REPLY = {"type": "text", "text": {"body": "Biaya paspor biasa 48 halaman Rp350.000. " * 7}}
LOOPS = ("asyncio", "uvloop")
PTB_STACKS = ("httpx", "aiohttp")
Loop = Callable[[], asyncio.AbstractEventLoop]


def loop_factory(name: str) -> Loop | None:
    if name == "uvloop":
        import uvloop

        return uvloop.new_event_loop
    return None


def run(name: str, main: Coroutine[Any, Any, None]) -> None:
    with asyncio.Runner(loop_factory=loop_factory(name)) as runner:
        runner.run(main)


async def in_flight(count: int, once: Callable[[int], Awaitable[object]]) -> None:
    """`once(i)` for i in range(count), IN_FLIGHT at a time."""
    numbers = iter(range(count))

    async def lane() -> None:
        for number in numbers:
            await once(number)

    await asyncio.gather(*(lane() for _ in range(IN_FLIGHT)))


async def client_role(settings: dict[str, str], count: int) -> None:
    """Sends through the bot's own GraphClient; prints its CPU per send in ms."""
    from bot.channels.whatsapp.api import GraphClient
    from bot.channels.whatsapp.settings import WhatsAppSettings

    client = GraphClient(WhatsAppSettings.from_env(settings))

    async def send(number: int) -> None:
        await client.send(whatsapp_user(number % USERS), REPLY)

    await in_flight(WARM_UP, send)
    start = time.process_time()
    await in_flight(count, send)
    print(f"{(time.process_time() - start) / count * 1000:.3f}", flush=True)
    await client.close()


async def ptb_role(stack: str, settings: dict[str, str], count: int) -> None:
    """Sends through a PTB Bot on PTB's httpx request or ours; prints its CPU per send in ms."""
    from telegram import Bot
    from telegram.request import BaseRequest, HTTPXRequest

    from bot.channels.telegram.request import AiohttpRequest

    request: BaseRequest = AiohttpRequest() if stack == "aiohttp" else HTTPXRequest(256)
    token, url = settings["TELEGRAM_BOT_TOKEN"], settings["TELEGRAM_API_URL"]
    async with Bot(token, base_url=url, request=request) as bot:

        async def send(number: int) -> None:
            await bot.send_message(telegram_user(number % USERS), REPLY["text"]["body"])

        await in_flight(WARM_UP, send)
        start = time.process_time()
        await in_flight(count, send)
        print(f"{(time.process_time() - start) / count * 1000:.3f}", flush=True)


async def server_role(parser: str, port: int) -> None:
    """`serve`'s uvicorn configuration around an app that answers 200."""
    from bot.runtime.http_guard import http_config
    from bot.runtime.runners import GracefulServer

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    config = http_config(app, host="127.0.0.1", port=port, timeout=10, limits={})
    if parser == "h11":
        config.http = "h11"  # uvicorn's own, as `serve` had it (with a header timer) before
    await GracefulServer(config).serve()


async def measure_client(loop: str, count: int, *, ptb: str | None = None) -> float:
    """The client's CPU per send: the Graph API's, or a PTB Bot's on request stack `ptb`."""
    async with fake_process("whatsapp" if ptb is None else "telegram", USERS) as fake:
        role = ["client", loop] if ptb is None else ["ptb", loop, ptb]
        args = ["-m", "benchmarks.http_stack", *role, json.dumps(fake.settings), str(count)]
        child = await asyncio.create_subprocess_exec(
            sys.executable, *args, stdout=asyncio.subprocess.PIPE
        )
        out, _ = await child.communicate()
        return float(out)


async def measure_server(loop: str, parser: str, count: int, port: int) -> float:
    role = ["-m", "benchmarks.http_stack", "server", loop, parser, str(port)]
    child = await asyncio.create_subprocess_exec(sys.executable, *role)
    url = f"http://127.0.0.1:{port}/whatsapp"
    try:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=IN_FLIGHT)) as client:
            await _until_up(client, url)

            async def post(_: int) -> None:
                response = await client.post(url, content=BODY)
                response.raise_for_status()

            await in_flight(WARM_UP, post)
            before = load_meter.tree_cpu(child.pid)
            await in_flight(count, post)
            return (load_meter.tree_cpu(child.pid) - before) / count * 1000
    finally:
        child.terminate()
        await child.wait()


async def _until_up(client: httpx.AsyncClient, url: str) -> None:
    for _ in range(200):
        try:
            await client.post(url, content=b"{}")
            return
        except httpx.TransportError:
            await asyncio.sleep(0.05)
    raise RuntimeError("the server did not start")


def variants(count: int, port: int) -> dict[str, Callable[[], Awaitable[float]]]:
    """What is measured: the Graph API client and a PTB Bot on each request stack, on each
    loop; the server on each loop with uvicorn's plain h11 protocol (what `serve` ran before)
    and with ours (httptools, guarded)."""
    found: dict[str, Callable[[], Awaitable[float]]] = {
        f"client {loop}": partial(measure_client, loop, count) for loop in LOOPS
    }
    for stack in PTB_STACKS:
        for loop in LOOPS:
            found[f"ptb {stack} {loop}"] = partial(measure_client, loop, count, ptb=stack)
    for loop in LOOPS:
        for parser in ("h11", "guarded"):
            found[f"server {loop} {parser}"] = partial(measure_server, loop, parser, count, port)
    return found


async def report(count: int, rounds: int) -> None:
    """Each variant `rounds` times, interleaved (the machine's load drifts); the medians."""
    from support.ports import held_port

    with held_port() as held:
        only = os.environ.get("BENCH_HTTP_ONLY", "")
        measures = {
            name: measure
            for name, measure in variants(count, held.getsockname()[1]).items()
            if only in name
        }
        found: dict[str, list[float]] = {name: [] for name in measures}
        for _ in range(rounds):
            for name, measure in measures.items():
                found[name].append(await measure())
    print(f"HTTP stack, CPU per request in ms ({count} requests, {IN_FLIGHT} in flight):")
    for name, values in found.items():
        shown = ", ".join(f"{v:.3f}" for v in values)
        print(f"  {name:24s} median {statistics.median(values):.3f}  ({shown})")
    print(f"load average {os.getloadavg()[0]:.2f} (1 min), 2 cores")


def main(argv: list[str]) -> None:
    if argv[:1] == ["client"]:
        run(argv[1], client_role(json.loads(argv[2]), int(argv[3])))
    elif argv[:1] == ["ptb"]:
        run(argv[1], ptb_role(argv[2], json.loads(argv[3]), int(argv[4])))
    elif argv[:1] == ["server"]:
        run(argv[1], server_role(argv[2], int(argv[3])))
    else:
        count = int(os.environ.get("BENCH_HTTP_REQUESTS", "4000"))
        sys.path.insert(0, str(load_meter.Path(__file__).resolve().parent.parent / "tests"))
        asyncio.run(report(count, int(os.environ.get("BENCH_HTTP_ROUNDS", "3"))))


if __name__ == "__main__":
    main(sys.argv[1:])
