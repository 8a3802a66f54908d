# Attach to the sandbox's init and to our parent; read another process's memory.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
for target in (1, os.getppid()):
    result = libc.ptrace(16, target, None, None)  # PTRACE_ATTACH
    print("PTRACE", target, result, ctypes.get_errno())
local = ctypes.create_string_buffer(8)
iov = (ctypes.c_void_p * 2)(ctypes.addressof(local), 8)
result = libc.syscall(310, 1, iov, 1, iov, 1, 0)  # process_vm_readv
print("VM_READV", result, ctypes.get_errno())
