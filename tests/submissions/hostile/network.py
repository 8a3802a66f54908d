# Reach a listener the grader's machine has open on 127.0.0.1, and the hypervisor.
import socket

try:
    socket.create_connection(("127.0.0.1", @PORT@), timeout=2).sendall(b"@MARKER@")
    print("CONNECTED")
except OSError as exc:
    print("NO CONNECTION", type(exc).__name__, exc.errno)
try:
    socket.socket(40, socket.SOCK_STREAM)  # AF_VSOCK
    print("VSOCK OPEN")
except OSError as exc:
    print("NO VSOCK", exc.errno)
try:
    socket.getaddrinfo("example.com", 80)
    print("DNS WORKS")
except OSError as exc:
    print("NO DNS", type(exc).__name__)
