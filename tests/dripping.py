"""Peers that misbehave on purpose, for the outbound deadline tests (smartcity/outbound.py): a real server on a free
loopback port that reads one request and then answers as told, a byte at a time or without end."""

import socket
import threading


def huge_length_drip(conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000000\r\n\r\n")
    return lambda: conn.sendall(b"x")


def small_length_drip(conn):  # under any byte cap: only the deadline can end it
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n")
    return lambda: conn.sendall(b"x")


def chunked_drip(conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n")
    return lambda: conn.sendall(b"1\r\nx\r\n")


def chunked_flood(conn):  # an endless chunked body, as fast as the socket takes it: only the byte cap can end it
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"4000\r\n" + b"x" * 0x4000 + b"\r\n"
    return lambda: conn.sendall(chunk * 8)


def header_drip(conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    return lambda: conn.sendall(b"X")  # one endless header line, a byte at a time


BEHAVIOURS = {
    "huge Content-Length, a byte a second": (huge_length_drip, 1.0),
    "small Content-Length, a byte a second": (small_length_drip, 1.0),
    "endless chunked body, a byte a second": (chunked_drip, 1.0),
    "endless chunked body, flooding": (chunked_flood, 0.0),
    "headers, a byte a second": (header_drip, 1.0),
}


class DrippingReceiver:
    """A receiver that reads the request, then misbehaves as told until the test ends (it is a real server on a
    free loopback port; each connection gets its own thread)."""

    def __init__(self, behaviour, pause: float):
        self.behaviour, self.pause = behaviour, pause
        self.stop, self.connections = threading.Event(), 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hooks/kota-cerdas"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        with conn:
            try:
                conn.settimeout(5)
                conn.recv(65536)  # the request (small: one signed event)
                step = self.behaviour(conn)
                while not self.stop.is_set():
                    step()
                    if self.pause:
                        self.stop.wait(self.pause)
            except OSError:
                return

    def close(self):
        self.stop.set()
        self.sock.close()


def opened_receivers():
    """The body of a test's `dripping` fixture: opens receivers on demand, closes them all at the end."""
    opened = []

    def open_one(behaviour, pause):
        opened.append(DrippingReceiver(behaviour, pause))
        return opened[-1]

    yield open_one
    for receiver in opened:
        receiver.close()
