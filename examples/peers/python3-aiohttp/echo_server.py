#!/usr/bin/python3
"""Echo server on python3-aiohttp (aiohttp.web), the peer wscheck tests as a server.

    /usr/bin/python3 echo_server.py [PORT]        # PORT 0 (default): the OS picks one

Binds 127.0.0.1 only and prints one line, "listening on PORT", once it accepts
connections. Every WebSocket message is sent back with its type; aiohttp
answers Pings (autoping) and the closing handshake (autoclose) itself.

Settings that differ from the library's defaults, and why:
  max_msg_size=2**25  the default, 4 MiB (4194304), would refuse the 4, 8 and
                      16 MiB messages of category 9 with close code 1009
                      (Debian's 3.8.4 refuses a message that reaches the limit).
Everything else stays at the default: compress=True (permessage-deflate
accepted when offered), no heartbeat, autoping and autoclose on.
"""
import asyncio
import sys

from aiohttp import WSMsgType, web

MAX_SIZE = 2**25


async def echo(request):
    ws = web.WebSocketResponse(max_msg_size=MAX_SIZE)
    await ws.prepare(request)
    async for msg in ws:
        if msg.type == WSMsgType.TEXT:
            await ws.send_str(msg.data)
        elif msg.type == WSMsgType.BINARY:
            await ws.send_bytes(msg.data)
        else:  # ERROR: aiohttp has already failed the connection
            break
    return ws


async def main(port):
    app = web.Application()
    app.router.add_get("/{tail:.*}", echo)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    print(f"listening on {runner.addresses[0][1]}", flush=True)
    try:
        await asyncio.Future()
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    try:
        asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
    except KeyboardInterrupt:
        pass
