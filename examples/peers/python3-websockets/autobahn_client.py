#!/usr/bin/python3
"""Autobahn fuzzingserver driver for the python3-websockets client.

    /usr/bin/python3 autobahn_client.py ws://127.0.0.1:9001 AGENT

Asks /getCaseCount, runs /runCase?case=N&agent=AGENT for N = 1..count (echoing
every message with its type until the server closes), then /updateReports.
Works with wscheck (`wscheck client --exec "... {url} {agent}"`) and with
the Autobahn testsuite's fuzzingserver.

Same settings as echo_server.py: max_size=2**25 (default 2**20), keepalive
pings off (default every 20 s), permessage-deflate at the library default.
"""
import asyncio
import sys
import urllib.parse

import websockets

MAX_SIZE = 2**25


def connect(url):
    return websockets.connect(url, max_size=MAX_SIZE, ping_interval=None)


async def last_text(url):
    """Open a control connection; return the last message before it closes.

    The fuzzingserver ends these connections with a Close frame without a
    status code (1005), which websockets reports as ConnectionClosedError.
    """
    answer = None
    try:
        async with connect(url) as ws:
            async for message in ws:
                answer = message
    except websockets.exceptions.ConnectionClosedError:
        pass
    return answer


async def run_case(url):
    try:
        async with connect(url) as ws:
            async for message in ws:
                await ws.send(message)
    except (websockets.exceptions.WebSocketException, OSError, asyncio.TimeoutError):
        pass  # the cases make connections fail on purpose


async def main(base, agent):
    base = base.rstrip("/")
    quoted = urllib.parse.quote(agent, safe="")
    count = int(await last_text(f"{base}/getCaseCount"))
    for n in range(1, count + 1):
        await run_case(f"{base}/runCase?case={n}&agent={quoted}")
    await last_text(f"{base}/updateReports?agent={quoted}")


if __name__ == "__main__":
    base = sys.argv[1] if len(sys.argv) > 1 else "ws://127.0.0.1:9001"
    agent = sys.argv[2] if len(sys.argv) > 2 else "python3-websockets"
    asyncio.run(main(base, agent))
