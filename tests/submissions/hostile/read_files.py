# Look for the instructor's reference and anything else outside the sandbox.
import os

for path in ["/work/main/reference/hw1.py", "../../reference/hw1.py", "/root", "/home",
             "/etc/shadow", "/etc/hostname", "@CWD@", "@CWD@/secret.txt", "/sys", "/run"]:
    try:
        if os.path.isdir(path):
            print("LISTED", path, os.listdir(path))
        else:
            with open(path) as handle:
                print("READ", path, handle.read(200))
    except OSError as exc:
        print("DENIED", path, type(exc).__name__)

print("ROOT", sorted(os.listdir("/")))
print("GRADER", sorted(os.listdir("/opt/autograde/autograder")))
secret = "@TOKEN@"[::-1].encode()  # spelled backwards here, so this file does not match
skip = ("/proc", "/sys", "/dev", "/usr", "/root", "/work", "/opt")  # runtime: big and public
for root, dirs, files in os.walk("/"):
    dirs[:] = [d for d in dirs if os.path.join(root, d) not in skip]
    for name in files:
        try:
            with open(os.path.join(root, name), "rb") as handle:
                if secret in handle.read(1 << 20):
                    print("FOUND SECRET IN", os.path.join(root, name))
        except OSError:
            pass
print("WALK DONE")
