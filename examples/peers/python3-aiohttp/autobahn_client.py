#!/usr/bin/python3
"""Autobahn fuzzingserver driver for the python3-aiohttp client.

    /usr/bin/python3 autobahn_client.py ws://127.0.0.1:9001 AGENT

Asks /getCaseCount, runs /runCase?case=N&agent=AGENT for N = 1..count (echoing
every message with its type until the server closes), then /updateReports.

max_msg_size=2**25 (default 4 MiB, too small for the 4-16 MiB cases of category 9); otherwise the
library defaults: compress=0 (permessage-deflate not offered), autoping and
autoclose on, no heartbeat.
"""
import asyncio
import sys
import urllib.parse

import aiohttp
import yarl
from aiohttp import WSMsgType

MAX_SIZE = 2**25


async def last_text(session, url):
    """Open a control connection; return the last message before it closes."""
    answer = None
    async with session.ws_connect(yarl.URL(url, encoded=True)) as ws:
        async for msg in ws:
            if msg.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                answer = msg.data
    return answer


async def run_case(session, url):
    try:
        async with session.ws_connect(yarl.URL(url, encoded=True), max_msg_size=MAX_SIZE) as ws:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await ws.send_str(msg.data)
                elif msg.type == WSMsgType.BINARY:
                    await ws.send_bytes(msg.data)
                else:  # ERROR: aiohttp has already failed the connection
                    break
    except (aiohttp.ClientError, OSError, asyncio.TimeoutError):
        pass  # the cases make connections fail on purpose


async def main(base, agent):
    base = base.rstrip("/")
    quoted = urllib.parse.quote(agent, safe="")
    async with aiohttp.ClientSession() as session:
        count = int(await last_text(session, f"{base}/getCaseCount"))
        for n in range(1, count + 1):
            await run_case(session, f"{base}/runCase?case={n}&agent={quoted}")
        await last_text(session, f"{base}/updateReports?agent={quoted}")


if __name__ == "__main__":
    base = sys.argv[1] if len(sys.argv) > 1 else "ws://127.0.0.1:9001"
    agent = sys.argv[2] if len(sys.argv) > 2 else "python3-aiohttp"
    asyncio.run(main(base, agent))
