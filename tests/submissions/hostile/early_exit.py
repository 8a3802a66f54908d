# os._exit(0) at top level: the harness must carry on and grade what is defined.
import os

os._exit(0)
print("unreachable")
