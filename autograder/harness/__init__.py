"""The in-sandbox half of the grader.

Everything in this package runs next to untrusted student code, inside the
sandbox (and, for the reference, in a plain process). It may import only the
standard library and NumPy (torch lazily, when the submission loaded it or the
grader sends a tensor), and it never decides a score: it runs the submission
as a script, then answers the grader's calls (`server`), with values encoded
as data by the protocol both ends share (`protocol`).
"""
