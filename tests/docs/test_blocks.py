"""Every code block of the README and docs/ is of a kind something runs, and the blocks the
tests do not run are run elsewhere: `docker` blocks by docker/doc-blocks.sh, `ci` blocks by
the CI (.ci/run)."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from bitel_mock import contracts
from tests.docs.blocks import (
    OUTPUT_LANGUAGES,
    PAGES,
    ROOT,
    Block,
    all_blocks,
    blocks_of,
    outputs,
    problems,
    tagged,
)

BLOCKS = list(all_blocks())
DOC_BLOCKS = ROOT / "docker" / "doc-blocks.sh"


def _id(block: Block) -> str:
    return block.where


def _commands(block: Block) -> list[str]:
    """The block's command lines, without comments."""
    lines = (line.split("#", 1)[0].strip() for line in block.text.splitlines())
    return [line for line in lines if line]


@pytest.mark.parametrize("block", BLOCKS, ids=_id)
def test_every_block_is_of_a_kind_that_runs(block: Block) -> None:
    assert problems(block) == [], f"{block.where}: {problems(block)}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_json_or_text_block_is_an_output_or_a_sample_of_the_contract(page) -> None:
    blocks = blocks_of(page)
    shown = {id(block) for block in outputs(blocks).values()}
    for block in blocks:
        if block.language in OUTPUT_LANGUAGES and "schema" not in block.tags:
            assert id(block) in shown, f"{block.where}: shows the output of no block that runs here"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_no_output_is_shown_for_a_block_run_elsewhere(page) -> None:
    blocks = blocks_of(page)
    for index, block in enumerate(blocks[:-1]):
        after = blocks[index + 1]
        if block.runs_elsewhere:
            assert after.language not in OUTPUT_LANGUAGES, (
                f"{after.where}: an output of {block.where}, which the tests do not run, "
                "would never be compared"
            )


@pytest.mark.parametrize("block", tagged("schema"), ids=_id)
def test_samples_satisfy_the_contract(block: Block) -> None:
    contracts.validator(block.tags["schema"]).validate(json.loads(block.text))


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.language == "sh"], ids=_id)
def test_every_shell_block_parses(block: Block) -> None:
    done = subprocess.run(["bash", "-n", "-c", block.text], capture_output=True, text=True)
    assert done.returncode == 0, f"{block.where}: {done.stderr}"


def test_the_readme_opens_with_make_run_and_make_test_which_ci_and_a_page_run() -> None:
    [first, *_] = blocks_of(ROOT / "README.md")
    assert "ci" in first.tags
    assert _commands(first) == ["make run", "make test"]


@pytest.mark.parametrize("block", tagged("ci"), ids=_id)
def test_each_ci_command_is_run_by_ci_or_by_a_block_the_tests_run(block: Block) -> None:
    ci_script = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    run_here = {command for b in BLOCKS if b.runs_here for command in _commands(b)}
    for command in _commands(block):
        assert command in ci_script or command in run_here, (
            f"{block.where}: nothing runs `{command}` (neither .ci/run nor a block the tests run)"
        )


def test_ci_runs_make_test() -> None:
    assert "make test" in [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]


def test_doc_blocks_script_lists_every_docker_block_in_order() -> None:
    docker = tagged("docker")
    assert docker, "no docker blocks: the team sandbox quick start has one"
    env = dict(os.environ, DOC_BLOCKS_DRY_RUN="1")
    done = subprocess.run(
        ["bash", str(DOC_BLOCKS)], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    headers = [line for line in done.stdout.splitlines() if line.startswith("== # ")]
    assert [h.split()[2] for h in headers] == [block.where for block in docker]
    assert f"== {len(docker)} docker blocks listed" in done.stdout
    published = done.stdout.split("127.0.0.1:", 2)[1].split("/", 1)[0]
    assert published != "8080" and published.isdigit(), "8080 is substituted by a free port"


def test_docker_ci_runs_the_doc_blocks_script() -> None:
    ci = (ROOT / "docker" / "ci.sh").read_text(encoding="utf-8")
    assert "docker/doc-blocks.sh" in ci, "docker/ci.sh must run docker/doc-blocks.sh"
