# A double-forked, setsid daemon that wants to outlive the grading run.
import os

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/usr/bin/sleep", ["sleep", "300", "@MARKER@"])
    os._exit(0)
os.wait()
