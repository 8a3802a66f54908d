"""The docker/podman backends, against a fake engine and, where one answers, a real one.

The fake engine is a script named `docker` (or `podman`) on PATH: it records
its argv, answers `version`, `image inspect` and `rm`, and for `run` maps the
container's mounts back to host paths and runs the harness command itself
with the `--env` environment only,
so the whole grading path through the backend is exercised.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from autograder.errors import SandboxError
from autograder.sandbox import container, get_sandbox
from autograder.sandbox.base import GRADER_ROOT
from autograder.sandbox.container import DockerSandbox, engine_problem, image
from tests.conftest import REFERENCE

FAKE_ENGINE = f"""#!{sys.executable}
import json, os, re, sys
argv = sys.argv[1:]
with open(os.environ["FAKE_ENGINE_LOG"], "a") as log:
    log.write(json.dumps(argv) + "\\n")
if argv[0] != "run":
    sys.exit(0)
volumes, env, i = {{}}, {{}}, 1
while argv[i].startswith("--"):
    if argv[i] == "--rm" or argv[i] == "--read-only":
        i += 1
        continue
    if argv[i] == "--volume":
        host, inside, _ = argv[i + 1].split(":")
        volumes[inside] = host
    if argv[i] == "--env":
        key, _, value = argv[i + 1].partition("=")
        env[key] = value
    i += 2
command = [sys.executable] + argv[i + 1:]
# A mount point names its host path wherever it starts a path: alone, or after
# a scheme such as `unix:` (longest first, so nested mounts win).
for inside, host in sorted(volumes.items(), key=lambda item: -len(item[0])):
    pattern = re.compile(r"(?<![^:])" + re.escape(inside) + r"(?=/|$)")
    command = [pattern.sub(lambda _: host, arg) for arg in command]
command = [arg.replace("/opt/autograde", {str(GRADER_ROOT)!r}) for arg in command]
os.execve(sys.executable, command, env)
"""


@pytest.fixture
def fake_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Install a fake `docker` and return the file its calls are logged to."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    engine = bindir / "docker"
    engine.write_text(FAKE_ENGINE)
    engine.chmod(0o755)
    log = tmp_path / "engine.log"
    monkeypatch.setenv("PATH", f"{bindir}:/usr/bin:/bin")
    monkeypatch.setenv("FAKE_ENGINE_LOG", str(log))
    monkeypatch.setenv("AUTOGRADE_IMAGE", "autograde:test")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_containerSECRET")
    engine_problem.cache_clear()
    yield log
    engine_problem.cache_clear()


def _calls(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text().splitlines()]


def test_docker_backend_grades_through_the_engine(fake_engine: Path, grade, tmp_path) -> None:
    shutil.copy(REFERENCE / "hw1.py", tmp_path / "hw1.py")
    report = grade(tmp_path / "hw1.py", sandbox="docker", limit_overrides={"memory_mb": 1024})
    assert report.score == 17.0
    assert report.execution.sandbox == "docker" and report.execution.isolated
    calls = _calls(fake_engine)
    assert calls[:2] == [["version"], ["image", "inspect", "autograde:test"]]
    run = next(call for call in calls if call[0] == "run" and "--name" in call)
    flags = " ".join(run)
    for expected in (
        "--rm",
        "--network none",
        "--read-only",
        "--memory 1073741824b",
        "--memory-swap 1073741824b",
        "--pids-limit 256",
        "--cap-drop ALL",
        "--security-opt no-new-privileges",
        "--user 65534:65534",
        "--ulimit core=0:0",
        "--tmpfs /tmp:rw,nosuid,nodev,size=67108864",
        "--workdir /tmp",
        "--entrypoint python",
    ):
        assert expected in flags
    assert run[run.index("autograde:test") + 1 :][:3] == ["-s", "-P", "-c"]
    assert "ghp_containerSECRET" not in flags and "GITHUB_TOKEN" not in flags
    command = run[run.index("autograde:test") + 1 :]
    assert "unix:/channel/control.sock" in command
    volumes = [run[i + 1].split(":") for i, arg in enumerate(run) if arg == "--volume"]
    inside = {point: (host, mode) for host, point, mode in volumes}
    submitted, mode = inside["/submission/hw1.py"]  # a staged copy of the submission
    assert mode == "ro" and Path(submitted).name == "hw1.py"
    assert inside["/channel"][1] == "rw"
    empty = inside["/opt/autograde/reference"]
    assert empty[1] == "ro" and inside["/opt/autograde/assignments"] == empty
    assert inside["/opt/autograde/autograder/harness"] == (
        str(GRADER_ROOT / "autograder" / "harness"),
        "ro",
    )
    assert set(inside) == {
        "/submission/hw1.py",
        "/channel",
        "/opt/autograde/reference",
        "/opt/autograde/assignments",
        "/opt/autograde/autograder/harness",
    } | {point for point in inside if "site-packages" in point or "dist-packages" in point}
    assert not any(arg.endswith((":/assignment:ro", ":/output:rw")) for arg in run)
    for host, _, _ in volumes:  # nothing of the instructor's is mounted in
        assert not Path(host).is_relative_to(REFERENCE)
        assert not Path(host).is_relative_to(GRADER_ROOT / "assignments")
    name = run[run.index("--name") + 1]
    assert calls[-1] == ["rm", "--force", name]


def test_engine_without_image_is_one_clear_error(fake_engine: Path, monkeypatch) -> None:
    engine = fake_engine.parent / "bin" / "docker"
    engine.write_text(
        engine.read_text().replace(
            'if argv[0] != "run":',
            'if argv[:2] == ["image", "inspect"]:\n    sys.exit(1)\nif argv[0] != "run":',
        )
    )
    with pytest.raises(SandboxError) as info:
        get_sandbox("docker")
    assert str(info.value) == (
        "sandbox 'docker' cannot run here (image autograde:test not found (build it: "
        "docker build -t autograde:test .)); use --sandbox bwrap or --sandbox none"
    )


def test_missing_engine_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    container.engine_problem.cache_clear()
    try:
        with pytest.raises(SandboxError) as info:
            get_sandbox("podman")
    finally:
        container.engine_problem.cache_clear()
    assert str(info.value) == (
        "sandbox 'podman' cannot run here (podman is not installed); "
        "use --sandbox bwrap or --sandbox none"
    )


@pytest.mark.skipif(not DockerSandbox.available(), reason=f"no docker engine with {image()}")
def test_real_docker_engine(grade, tmp_path: Path) -> None:
    shutil.copy(REFERENCE / "hw1.py", tmp_path / "hw1.py")
    report = grade(tmp_path / "hw1.py", sandbox="docker")
    assert report.score == 17.0 and report.execution.sandbox == "docker"
