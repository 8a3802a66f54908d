# Overwrite the grader, the assignment, site-packages; scribble on /.
import os
import numpy

targets = ["/opt/autograde/autograder/harness/main.py", "/opt/autograde/autograder/grading.py",
           "/assignment/probes.py", "/assignment/assignment.toml", numpy.__file__,
           os.__file__, __file__, "/etc/passwd", "/planted", "/usr/planted", "@CWD@/planted"]
for path in targets:
    try:
        with open(path, "a") as handle:
            handle.write("\nraise SystemExit('@MARKER@')\n")
        print("WROTE", path)
    except OSError as exc:
        print("REFUSED", path, type(exc).__name__)
with open("/tmp/scratch.txt", "w") as handle:
    handle.write("scratch space works")
print("SCRATCH OK")
