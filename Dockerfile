# autograde: the grader and the image its docker/podman sandbox backends run.
#
#   docker build -t autograde:latest .
#   docker run --rm -v "$PWD:/work" -w /work autograde:latest submit hw1.py --sandbox none
#
# Inside a container the container is the sandbox (`--sandbox none`, or
# `auto`, which falls back to it when bwrap cannot create namespaces there).
# The pip on the build machine must resolve the CPU-only torch wheel (for
# example through PIP_INDEX_URL / PIP_EXTRA_INDEX_URL passed as build args);
# nothing here names a package index.
FROM python:3.11-slim

ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MPLBACKEND=Agg

RUN apt-get update \
    && apt-get install -y --no-install-recommends bubblewrap \
    && rm -rf /var/lib/apt/lists/*

# Heavy, rarely changing layers first.
RUN pip install torch==2.13.0 "numpy>=1.26" "matplotlib>=3.8" "seaborn>=0.13"

# The package at /opt/autograde, installed in place (editable) so that the
# bundled assignments and references sit next to it, where the grader looks,
# and so that the docker/podman backends find the harness at
# /opt/autograde/autograder. reference/ is the grader's (trusted) side: the
# sandbox never mounts it.
WORKDIR /opt/autograde
COPY pyproject.toml README.md ./
COPY autograder ./autograder
COPY assignments ./assignments
COPY reference ./reference
RUN pip install -e . \
    && python -c "import autograder, torch, numpy; print('autograde image ok')"

RUN useradd --create-home --uid 1000 --shell /usr/sbin/nologin grader
USER grader
WORKDIR /work

ENTRYPOINT ["autograde"]
CMD ["--help"]
