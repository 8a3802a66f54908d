# Syscalls the seccomp filter denies: keyrings, io_uring, bpf, user namespaces, mount.
import ctypes

libc = ctypes.CDLL(None, use_errno=True)
calls = {"keyctl": (250, 0, 0), "add_key": (248, 0, 0), "io_uring_setup": (425, 4, 0),
         "bpf": (321, 0, 0), "perf_event_open": (298, 0, 0), "unshare_user": (272, 0x10000000, 0),
         "mount": (165, 0, 0)}
for name, (number, a, b) in calls.items():
    ctypes.set_errno(0)
    print("SYSCALL", name, libc.syscall(number, a, b, 0, 0, 0), ctypes.get_errno())
