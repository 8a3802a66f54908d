"""A seccomp filter for the bwrap sandbox, compiled to classic BPF by hand.

bwrap's `--seccomp FD` loads a ready-made BPF program (an array of
`struct sock_filter`) before it execs the harness. No seccomp library is a
dependency of the grader, and the filter is small, so it is generated here
with `struct`.

What it denies, and why:

- `ptrace`, `process_vm_readv/writev`, `kcmp`: a submission could otherwise
  stop or rewrite the sandbox's init (bwrap's PID 1) or the harness;
- the keyring calls: kernel keyrings are not namespaced;
- io_uring: a large kernel attack surface that bypasses seccomp on its own;
- `socket(AF_VSOCK, ...)`: vsock reaches the hypervisor host, past the net
  namespace;
- mounting, namespaces (`unshare`, `setns`, namespace flags to `clone`),
  `bpf`, `perf_event_open`, `userfaultfd`, handles, modules, kexec, swap,
  reboot, acct: nothing a homework needs, all of them escape or DoS vectors;
- `clone3` answers ENOSYS so that glibc falls back to `clone`, whose flags a
  classic filter can inspect (clone3 passes them in memory).

Everything else is allowed, so NumPy, torch and their threads work. A
syscall from a foreign architecture (x32 on x86-64, or an ABI the filter was
not built for) kills the process: the syscall numbers would not mean what
the filter thinks they mean.
"""

from __future__ import annotations

import errno
import platform
import struct

# struct seccomp_data offsets: int nr; __u32 arch; __u64 ip; __u64 args[6].
_NR, _ARCH, _ARG0_LOW = 0, 4, 16

_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_JSET_K = 0x45  # BPF_JMP | BPF_JSET | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K

RET_ALLOW = 0x7FFF0000
RET_KILL_PROCESS = 0x80000000
RET_ERRNO = 0x00050000

AF_VSOCK = 40
CLONE_NAMESPACES = (
    0x00020000  # CLONE_NEWNS
    | 0x02000000  # CLONE_NEWCGROUP
    | 0x04000000  # CLONE_NEWUTS
    | 0x08000000  # CLONE_NEWIPC
    | 0x10000000  # CLONE_NEWUSER
    | 0x20000000  # CLONE_NEWPID
    | 0x40000000  # CLONE_NEWNET
)
X32_SYSCALL_BIT = 0x40000000

DENIED = [
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "keyctl",
    "add_key",
    "request_key",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "perf_event_open",
    "bpf",
    "userfaultfd",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "open_tree",
    "move_mount",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "mount_setattr",
    "open_by_handle_at",
    "name_to_handle_at",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "swapon",
    "swapoff",
    "reboot",
    "acct",
]

# (AUDIT_ARCH_*, syscall numbers) per machine; numbers from the kernel's
# unistd headers (x86-64: asm/unistd_64.h, arm64: asm-generic/unistd.h).
ARCHES: dict[str, tuple[int, dict[str, int]]] = {
    "x86_64": (
        0xC000003E,
        {
            "ptrace": 101,
            "process_vm_readv": 310,
            "process_vm_writev": 311,
            "kcmp": 312,
            "keyctl": 250,
            "add_key": 248,
            "request_key": 249,
            "io_uring_setup": 425,
            "io_uring_enter": 426,
            "io_uring_register": 427,
            "perf_event_open": 298,
            "bpf": 321,
            "userfaultfd": 323,
            "mount": 165,
            "umount2": 166,
            "pivot_root": 155,
            "chroot": 161,
            "unshare": 272,
            "setns": 308,
            "open_tree": 428,
            "move_mount": 429,
            "fsopen": 430,
            "fsconfig": 431,
            "fsmount": 432,
            "fspick": 433,
            "mount_setattr": 442,
            "open_by_handle_at": 304,
            "name_to_handle_at": 303,
            "kexec_load": 246,
            "kexec_file_load": 320,
            "init_module": 175,
            "finit_module": 313,
            "delete_module": 176,
            "swapon": 167,
            "swapoff": 168,
            "reboot": 169,
            "acct": 163,
            "socket": 41,
            "clone": 56,
            "clone3": 435,
        },
    ),
    "aarch64": (
        0xC00000B7,
        {
            "ptrace": 117,
            "process_vm_readv": 270,
            "process_vm_writev": 271,
            "kcmp": 272,
            "keyctl": 219,
            "add_key": 217,
            "request_key": 218,
            "io_uring_setup": 425,
            "io_uring_enter": 426,
            "io_uring_register": 427,
            "perf_event_open": 241,
            "bpf": 280,
            "userfaultfd": 282,
            "mount": 40,
            "umount2": 39,
            "pivot_root": 41,
            "chroot": 51,
            "unshare": 97,
            "setns": 268,
            "open_tree": 428,
            "move_mount": 429,
            "fsopen": 430,
            "fsconfig": 431,
            "fsmount": 432,
            "fspick": 433,
            "mount_setattr": 442,
            "open_by_handle_at": 265,
            "name_to_handle_at": 264,
            "kexec_load": 104,
            "kexec_file_load": 294,
            "init_module": 105,
            "finit_module": 273,
            "delete_module": 106,
            "swapon": 224,
            "swapoff": 225,
            "reboot": 142,
            "acct": 89,
            "socket": 198,
            "clone": 220,
            "clone3": 435,
        },
    ),
}
ARCHES["arm64"] = ARCHES["aarch64"]
ARCHES["amd64"] = ARCHES["x86_64"]


class UnsupportedArch(Exception):
    """No syscall table for this machine; the caller decides how to degrade."""


def _insn(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def _deny(errno_value: int) -> bytes:
    return _insn(_RET_K, RET_ERRNO | errno_value)


def build_filter(machine: str | None = None) -> bytes:
    """The compiled program for `machine` (default: this one), ready for bwrap."""
    machine = machine or platform.machine()
    if machine not in ARCHES:
        raise UnsupportedArch(f"no seccomp syscall table for {machine}")
    audit_arch, numbers = ARCHES[machine]
    prog = [
        _insn(_LD_W_ABS, _ARCH),
        _insn(_JEQ_K, audit_arch, jt=1, jf=0),
        _insn(_RET_K, RET_KILL_PROCESS),
        _insn(_LD_W_ABS, _NR),
    ]
    if audit_arch == ARCHES["x86_64"][0]:
        prog += [_insn(_JGE_K, X32_SYSCALL_BIT, jt=0, jf=1), _insn(_RET_K, RET_KILL_PROCESS)]
    for name in DENIED:
        prog += [_insn(_JEQ_K, numbers[name], jt=0, jf=1), _deny(errno.EPERM)]
    prog += [_insn(_JEQ_K, numbers["clone3"], jt=0, jf=1), _deny(errno.ENOSYS)]
    # socket(AF_VSOCK, ...): the family is the low word of the first argument.
    prog += [
        _insn(_JEQ_K, numbers["socket"], jt=0, jf=3),
        _insn(_LD_W_ABS, _ARG0_LOW),
        _insn(_JEQ_K, AF_VSOCK, jt=0, jf=1),
        _deny(errno.EAFNOSUPPORT),
        _insn(_LD_W_ABS, _NR),
    ]
    # clone(flags, ...) with any namespace flag: new namespaces are for bwrap only.
    prog += [
        _insn(_JEQ_K, numbers["clone"], jt=0, jf=3),
        _insn(_LD_W_ABS, _ARG0_LOW),
        _insn(_JSET_K, CLONE_NAMESPACES, jt=0, jf=1),
        _deny(errno.EPERM),
    ]
    prog.append(_insn(_RET_K, RET_ALLOW))
    return b"".join(prog)
