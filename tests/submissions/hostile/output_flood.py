# 2 GiB on stdout, then a little on stderr.
import sys

chunk = b"x" * 2**20
for _ in range(2048):
    sys.stdout.buffer.write(chunk)
sys.stdout.flush()
print("@MARKER@-tail", file=sys.stderr)
