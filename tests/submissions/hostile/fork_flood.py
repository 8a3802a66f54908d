# Fork until the system says no, then clean up (a bounded fork bomb).
import os
import time

children = []
for _ in range(2000):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(60)
        os._exit(0)
    children.append(pid)
print("FORKED", len(children))
for pid in children:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
