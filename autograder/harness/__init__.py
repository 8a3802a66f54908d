"""The in-sandbox half of the grader.

Everything in this package runs next to untrusted student code, inside the
sandbox. It may import only the standard library and NumPy (torch lazily, when
an assignment's probes need it), and it never decides a score: it executes the
submission, runs the probes and writes their outputs as data (JSON and .npz).
"""
