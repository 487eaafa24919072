#!/usr/bin/python3
"""Echo server on python3-websockets (asyncio), the peer wscheck tests as a server.

    /usr/bin/python3 echo_server.py [PORT]        # PORT 0 (default): the OS picks one

Binds 127.0.0.1 only and prints one line, "listening on PORT", once it accepts
connections. Every message is sent back with its type (str -> text, bytes ->
binary) until the connection closes; the library does all the rest (pings,
closing handshake, failing the connection).

Settings that differ from the library's defaults, and why:
  max_size=2**25   the default, 2**20 (1 MiB), would refuse the 4 MiB-16 MiB
                   messages of category 9 with close code 1009;
  ping_interval=None  the default sends a keepalive Ping every 20 s, which is
                   not part of any case; switched off so a long case sees only
                   what the echo application does.
permessage-deflate stays at the library default (offered/accepted).
"""
import asyncio
import sys

import websockets

MAX_SIZE = 2**25


async def echo(ws):
    try:
        async for message in ws:
            await ws.send(message)
    except websockets.exceptions.ConnectionClosed:
        pass  # the cases fail connections on purpose


async def main(port):
    async with websockets.serve(
        echo, "127.0.0.1", port, max_size=MAX_SIZE, ping_interval=None
    ) as server:
        bound = server.sockets[0].getsockname()[1]
        print(f"listening on {bound}", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    try:
        asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
    except KeyboardInterrupt:
        pass
