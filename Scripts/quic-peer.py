#!/usr/bin/env python3
"""quic-peer.py: an aioquic peer for interop tests of our QUIC v1 echo implementation.

It speaks the "quic-echo-example" protocol (as in quic-go's echo example): the client opens
one bidirectional stream, sends its data and a FIN; the server echoes every stream's data
back on the same stream and ends it with a FIN when the client's FIN arrives.

Server (runs until SIGTERM/SIGINT, then exits 0):

    quic-peer.py server --host 127.0.0.1 --port 0 --cert cert/server.crt --key cert/server.key \\
        [--retry] [--alpn A] [--keylog FILE] [--drop PERCENT]

  Prints "listening on HOST:PORT" on stderr once bound (with --port 0, the real port), then
  one line per connection when its handshake completes and per stream when its echo ends.

Client (exit 0 only if the echo equals what was sent):

    quic-peer.py client --host 127.0.0.1 --port P --ca cert/ca.crt [--server-name localhost] \\
        [--alpn A] [--keylog FILE] [--message TEXT] [--timeout SECONDS] [--key-update] \\
        [--drop PERCENT]

  Sends --message (UTF-8) or, without it, all of stdin; writes the echoed bytes to stdout
  exactly. Non-zero exit with a message on stderr on timeout or if the echo differs.
  --key-update initiates a key update (RFC 9001 §6) before sending, so the peer must follow
  the key phase change.

--drop PERCENT drops that share of received and sent UDP datagrams at random, to exercise
loss recovery (on both peers the losses compound: 20 each is ~36 % per direction, which
aioquic's own recovery does not always get through within the 10 s idle timeout; 20 on one
peer is reliable). --keylog writes NSS key log lines (SSLKEYLOGFILE format) for Wireshark.
Requires aioquic (tested with 1.7.2): run it with a Python that has it installed.
"""
import argparse
import asyncio
import random
import signal
import sys

from aioquic.asyncio import QuicConnectionProtocol, connect, serve
from aioquic.quic import events
from aioquic.quic.configuration import QuicConfiguration
from aioquic.tls import Epoch

IDLE_TIMEOUT = 10.0


def log(message):
    print(message, file=sys.stderr, flush=True)


def add_loss(protocol, transport, percent):
    """Drops `percent` % of the datagrams `protocol` receives and `transport` sends."""
    if percent <= 0:
        return
    receive, send = protocol.datagram_received, transport.sendto
    protocol.datagram_received = lambda data, addr: (
        None if random.uniform(0, 100) < percent else receive(data, addr))
    transport.sendto = lambda data, addr=None: (
        None if random.uniform(0, 100) < percent else send(data, addr))


def cipher_name(quic):
    schedule = quic.tls.key_schedule
    return schedule.cipher_suite.name if schedule is not None else "?"


def key_phase(quic):
    """The current 1-RTT key phase bit (aioquic keeps it in a private attribute)."""
    crypto = quic._cryptos.get(Epoch.ONE_RTT)
    return crypto.key_phase if crypto is not None else 0


def configuration(args, is_client):
    config = QuicConfiguration(is_client=is_client, alpn_protocols=[args.alpn],
                               idle_timeout=args.idle_timeout)
    if args.keylog:
        config.secrets_log_file = open(args.keylog, "a")
    return config


# --- server ------------------------------------------------------------------------------

class EchoServerProtocol(QuicConnectionProtocol):
    next_number = 1

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = EchoServerProtocol.next_number
        EchoServerProtocol.next_number += 1
        self.echoed = {}  # stream id -> bytes echoed so far

    def quic_event_received(self, event):
        prefix = f"conn {self.number}:"
        if isinstance(event, events.HandshakeCompleted):
            log(f"{prefix} handshake completed alpn={event.alpn_protocol} "
                f"cipher={cipher_name(self._quic)}")
        elif isinstance(event, events.StreamDataReceived):
            self._quic.send_stream_data(event.stream_id, event.data, end_stream=event.end_stream)
            total = self.echoed.get(event.stream_id, 0) + len(event.data)
            self.echoed[event.stream_id] = total
            if event.end_stream:
                log(f"{prefix} echoed {total} bytes on stream {event.stream_id}")
            self.transmit()
        elif isinstance(event, events.StreamReset):
            log(f"{prefix} stream {event.stream_id} reset by peer, error {event.error_code}")
        elif isinstance(event, events.ConnectionTerminated):
            log(f"{prefix} connection closed error_code={event.error_code:#x} "
                f"reason={event.reason_phrase!r} key_phase={key_phase(self._quic)}")


async def run_server(args):
    config = configuration(args, is_client=False)
    config.load_cert_chain(args.cert, args.key)
    server = await serve(args.host, args.port, configuration=config,
                         create_protocol=EchoServerProtocol, retry=args.retry)
    transport = server._transport
    add_loss(server, transport, args.drop)
    host, port = transport.get_extra_info("sockname")[:2]
    log(f"listening on {host}:{port}")

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    server.close()
    return 0


# --- client ------------------------------------------------------------------------------

class EchoClientProtocol(QuicConnectionProtocol):
    drop = 0.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        loop = asyncio.get_running_loop()
        self.handshake = loop.create_future()  # set when the handshake completes
        self.done = loop.create_future()       # set to the echoed bytes at the peer's FIN
        self.stream_id = None
        self.received = bytearray()

    def connection_made(self, transport):
        super().connection_made(transport)
        add_loss(self, transport, self.drop)

    def fail(self, error):
        for future in (self.handshake, self.done):
            if not future.done():
                future.set_exception(error)
                future.exception()  # mark it retrieved: it may never be awaited

    def quic_event_received(self, event):
        if isinstance(event, events.HandshakeCompleted):
            log(f"handshake completed alpn={event.alpn_protocol} "
                f"cipher={cipher_name(self._quic)}")
            if not self.handshake.done():
                self.handshake.set_result(None)
        elif isinstance(event, events.StreamDataReceived) and event.stream_id == self.stream_id:
            self.received += event.data
            if event.end_stream and not self.done.done():
                self.done.set_result(bytes(self.received))
        elif isinstance(event, events.StreamReset) and event.stream_id == self.stream_id:
            self.fail(ConnectionError(f"stream reset by peer, error {event.error_code}"))
        elif isinstance(event, events.ConnectionTerminated):
            self.fail(ConnectionError(f"connection closed before the echo ended: error_code="
                                      f"{event.error_code:#x} reason={event.reason_phrase!r}"))

    async def echo(self, data, key_update):
        self.transmit()  # connect(wait_connected=False) left the first flight to us
        await self.handshake
        if key_update:
            # RFC 9001 §6.1: no key update before the handshake is confirmed (for a client,
            # HANDSHAKE_DONE received). aioquic would defer it, maybe until after the echo;
            # wait instead, so that all stream data goes out in the new key phase.
            while not self._quic._handshake_confirmed:
                await asyncio.sleep(0.005)
            self.request_key_update()
            log("key update requested")
        self.stream_id = self._quic.get_next_available_stream_id()
        self._quic.send_stream_data(self.stream_id, data, end_stream=True)
        self.transmit()
        return await self.done


async def run_client(args, data):
    config = configuration(args, is_client=True)
    config.server_name = args.server_name
    config.load_verify_locations(cafile=args.ca)
    EchoClientProtocol.drop = args.drop
    # Our own handshake future instead of aioquic's wait_connected, whose internal future
    # logs "exception never retrieved" when a timeout cancels the wait.
    async with connect(args.host, args.port, configuration=config,
                       create_protocol=EchoClientProtocol, wait_connected=False) as protocol:
        echoed = await protocol.echo(data, args.key_update)
        phase = key_phase(protocol._quic)
        protocol.close(error_code=0)
    return echoed, phase


def client_main(args):
    data = args.message.encode() if args.message is not None else sys.stdin.buffer.read()
    try:
        echoed, phase = asyncio.run(asyncio.wait_for(run_client(args, data), args.timeout))
    except asyncio.TimeoutError:
        log(f"error: timed out after {args.timeout} s")
        return 1
    except (ConnectionError, OSError) as error:
        log(f"error: {str(error) or type(error).__name__}")
        return 1
    sys.stdout.buffer.write(echoed)
    sys.stdout.buffer.flush()
    if echoed != data:
        log(f"error: echo differs from what was sent ({len(echoed)} bytes back, {len(data)} sent)")
        return 1
    if args.key_update:
        if phase == 0:
            log("error: key update requested but it never took effect")
            return 1
        log(f"key phase now {phase}")
    log(f"echo ok: {len(data)} bytes")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="role", required=True)
    for role in ("server", "client"):
        p = sub.add_parser(role)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, required=(role == "client"), default=0)
        p.add_argument("--alpn", default="quic-echo-example")
        p.add_argument("--keylog", help="append TLS secrets (NSS key log format) to FILE")
        p.add_argument("--idle-timeout", type=float, default=IDLE_TIMEOUT, metavar="SECONDS",
                       help="close after this long without a packet (default 10)")
        p.add_argument("--drop", type=float, default=0.0, metavar="PERCENT",
                       help="drop this percentage of datagrams in each direction")
        if role == "server":
            p.add_argument("--cert", required=True)
            p.add_argument("--key", required=True)
            p.add_argument("--retry", action="store_true", help="validate addresses with Retry")
        else:
            p.add_argument("--ca", required=True)
            p.add_argument("--server-name", default="localhost")
            p.add_argument("--message", help="text to send (default: all of stdin)")
            p.add_argument("--timeout", type=float, default=10.0)
            p.add_argument("--key-update", action="store_true")
    args = parser.parse_args()
    if args.role == "server":
        return asyncio.run(run_server(args))
    return client_main(args)


if __name__ == "__main__":
    sys.exit(main())
