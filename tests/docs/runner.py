"""Running one page's blocks as a reader would, in order: commands in bash, scripts with the
venv's Python, servers in the background, each output compared with the block showing it.

The only departures from the page's text (the substitution rules):

- ports: 8080 (the emulator) and every port a `server=PORT` block names become free ports,
  in the text (`127.0.0.1:PORT`, `localhost:PORT`, `port=PORT`, `--port PORT`) and, for a
  server block, in the
  variables `PORT` (read by `make run`) and `BITEL_MOCK_PORT` (read by `bitel-mock serve`);
- `https://api.bitel.rest` becomes the page's emulator: nothing reaches the real service;
- `/path/to/bitel-mock` becomes a copy of this working tree (what git tracks or would);
- a block that talks to 127.0.0.1:8080 while no server block has started one gets a
  default emulator (`bitel-mock serve --store memory`, as `make run` but in memory).

Blocks run in a view of the clone (`checkout/`: `.venv` and the Makefile linked;
pyproject.toml and constraints.txt copied and dated in the past, so `make` finds the venv
set up and never reinstalls it; `contracts/snapshots/` copied, so a block that writes a
snapshot writes it there), or with the `project` tag in a project of the reader's
own (`project/`, holding its own `client.py` and `contracts.py`). The venv's `bin` comes
first on PATH, as after `source .venv/bin/activate`.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.docs.blocks import ROOT, Block, blocks_of, outputs
from tests.docs.outputs import compare
from tests.ports import free_port

EMULATOR_PORT = 8080
REAL_SERVICE = "https://api.bitel.rest"
CLONE_PLACEHOLDER = "/path/to/bitel-mock"
VENV_BIN = Path(sys.executable).parent
BLOCK_TIMEOUT = 300.0
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
CHECKOUT_LINKS = (".venv", "Makefile")
CHECKOUT_COPIES = ("pyproject.toml", "constraints.txt")
SNAPSHOTS = "contracts/snapshots"
OWN_MODULES = {
    "client.py": '"""This project\'s own client module (bitel-mock must not shadow it)."""\nOWNER = "my-app"\n',
    "contracts.py": '"""This project\'s own contracts module (bitel-mock must not shadow it)."""\nOWNER = "my-app"\n',
}


class BlockFailed(AssertionError):
    """A block did not run as its page says."""


@dataclass
class Server:
    """A server block's process, started in its own process group."""

    block: Block
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def first_lines(self, shown: Block) -> str:
        """As many lines of its output as `shown` has (waiting for them a little)."""
        wanted = len(shown.text.strip("\n").splitlines())
        deadline = time.monotonic() + READY_TIMEOUT
        lines = self.output().splitlines()
        while len(lines) < wanted and time.monotonic() < deadline and self.process.poll() is None:
            time.sleep(0.05)
            lines = self.output().splitlines()
        return "\n".join(lines[:wanted])

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        url = f"http://127.0.0.1:{self.port}/__admin/health"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BlockFailed(
                    f"{self.block.where}: the server exited ({self.process.returncode}):\n{self.output()}"
                )
            try:
                urllib.request.urlopen(url, timeout=2).close()
                return
            except urllib.error.HTTPError:
                return  # it answers: ready
            except OSError:
                time.sleep(0.1)
        raise BlockFailed(
            f"{self.block.where}: nothing answered on port {self.port} within {READY_TIMEOUT} s:\n{self.output()}"
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(STOP_TIMEOUT)


class PageRun:
    """The blocks of one page, run in order against the servers the page starts."""

    def __init__(self, page: Path, workdir: Path) -> None:
        self.page = page
        self.blocks = blocks_of(page)
        self.shown = outputs(self.blocks)
        self.checkout = workdir / "checkout"
        self.project = workdir / "project"
        self.ports = {EMULATOR_PORT: free_port()}
        for block in self.blocks:
            if block.server_port is not None and block.server_port not in self.ports:
                self.ports[block.server_port] = free_port()
        self.servers: dict[int, Server] = {}
        self.printed: dict[int, str] = {}
        """Index of each block that ran -> what it printed."""
        self._prepare()

    def _prepare(self) -> None:
        self.checkout.mkdir(parents=True)
        self.project.mkdir(parents=True)
        for name in CHECKOUT_LINKS:
            (self.checkout / name).symlink_to(ROOT / name)
        for name in CHECKOUT_COPIES:
            shutil.copyfile(ROOT / name, self.checkout / name)
            os.utime(self.checkout / name, (0, 0))
        shutil.copytree(ROOT / SNAPSHOTS, self.checkout / SNAPSHOTS)
        for name, text in OWN_MODULES.items():
            (self.project / name).write_text(text, encoding="utf-8")

    # --- the substitution rules -------------------------------------------------

    def clone(self) -> Path:
        """A copy of the working tree, as a fresh clone would hold it (made once)."""
        clone = self.checkout.parent / "bitel-mock"
        if not clone.exists():
            listed = (
                subprocess.run(
                    ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                    cwd=ROOT,
                    capture_output=True,
                    check=True,
                )
                .stdout.decode()
                .split("\0")
            )
            for name in filter(None, listed):
                source = ROOT / name
                if source.is_file():
                    (clone / name).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, clone / name)
        return clone

    def substitute(self, text: str) -> str:
        if CLONE_PLACEHOLDER in text:
            text = text.replace(CLONE_PLACEHOLDER, str(self.clone()))
        text = text.replace(REAL_SERVICE, f"http://127.0.0.1:{EMULATOR_PORT}")
        for documented, actual in self.ports.items():
            text = re.sub(
                rf"(?<![\w.-])(127\.0\.0\.1:|localhost:|port=|--port ){documented}\b",
                rf"\g<1>{actual}",
                text,
            )
        return text

    def _talks_to_the_emulator(self, text: str) -> bool:
        return f"127.0.0.1:{EMULATOR_PORT}" in text or REAL_SERVICE in text

    def env(self, port: int | None = None) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("BITEL_MOCK_") or k.startswith("BITEL_MOCK_TEST_")
        }
        for inherited in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"):
            env.pop(inherited, None)
        env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PIP_CONSTRAINT"] = str(ROOT / "constraints.txt")  # the versions `make` installs
        env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        if port is not None:
            env["PORT"] = env["BITEL_MOCK_PORT"] = str(port)
        return env

    def cwd(self, block: Block) -> Path:
        return self.project if "project" in block.tags else self.checkout

    # --- running ----------------------------------------------------------------

    def run(self) -> None:
        try:
            for index, block in enumerate(self.blocks):
                if not block.runs_here:
                    continue
                if block.is_file:
                    self._write(block)
                elif block.server_port is not None:
                    server = self._serve(block, block.text)
                    if index in self.shown:
                        self._check_output(
                            block, self.shown[index], server.first_lines(self.shown[index])
                        )
                else:
                    self.printed[index] = self._execute(block)
                    if index in self.shown:
                        self._check_output(block, self.shown[index], self.printed[index])
        finally:
            self.close()

    def close(self) -> None:
        for server in self.servers.values():
            server.stop()
        self.servers.clear()

    def _write(self, block: Block) -> None:
        (self.cwd(block) / block.tags["file"]).write_text(
            self.substitute(block.text), encoding="utf-8"
        )

    def _serve(self, block: Block, command: str) -> Server:
        documented = block.server_port if block.server_port is not None else EMULATOR_PORT
        if documented in self.servers:
            self.servers.pop(documented).stop()
        port = self.ports[documented]
        log = self.cwd(block).parent / f"server-{block.line}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                ["bash", "-c", self.substitute(command)],
                cwd=self.cwd(block),
                env=self.env(port),
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Server(block, port, process, log)
        self.servers[documented] = server
        server.wait_ready()
        return server

    def _ensure_emulator(self, block: Block) -> None:
        if self._talks_to_the_emulator(block.text) and EMULATOR_PORT not in self.servers:
            self._serve(block, "exec bitel-mock serve --store memory")

    def _execute(self, block: Block) -> str:
        self._ensure_emulator(block)
        text = self.substitute(block.text)
        if block.language == "python":
            script = self.cwd(block).parent / f"block-{block.line}.py"
            script.write_text(text, encoding="utf-8")
            argv = [str(VENV_BIN / "python"), str(script)]
        else:
            argv = ["bash", "-e", "-o", "pipefail", "-c", text]
        try:
            done = subprocess.run(
                argv,
                cwd=self.cwd(block),
                env=self.env(),
                capture_output=True,
                text=True,
                timeout=BLOCK_TIMEOUT,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            raise BlockFailed(f"{block.where}: still running after {BLOCK_TIMEOUT} s") from exc
        if done.returncode != 0:
            raise BlockFailed(
                f"{block.where}: exit status {done.returncode}\n--- block as run:\n{text}\n"
                f"--- stdout:\n{done.stdout}\n--- stderr:\n{done.stderr}{self._server_logs()}"
            )
        return done.stdout

    def _server_logs(self) -> str:
        return "".join(
            f"\n--- server {s.block.where}:\n{s.output()[-3000:]}" for s in self.servers.values()
        )

    def _check_output(self, block: Block, shown: Block, printed: str) -> None:
        differences = compare(shown.language, self.substitute(shown.text), printed)
        if differences:
            raise BlockFailed(
                f"{block.where}: the output differs from {shown.where}:\n" + "\n".join(differences)
            )


def run_page(page: Path, workdir: Path) -> PageRun:
    """Run every block of `page` the tests run; raises BlockFailed at the first that fails."""
    run = PageRun(page, workdir)
    run.run()
    return run
