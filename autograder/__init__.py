"""autograde: an automated grader for deep-learning coursework.

Kept import-free on purpose: the in-sandbox harness imports this package, and
everything imported here would load inside every student's sandbox.
"""

__version__ = "0.1.0"
