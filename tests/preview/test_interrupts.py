"""Ctrl-C and sys.exit() in a program are not "program failed": KeyboardInterrupt propagates
(the CLI exits 130), SystemExit keeps its code, sys.exit(0) ends the program early as a
success. The engine's global state is restored whatever happens."""

from __future__ import annotations

import gc
import os
import sys
import textwrap
from pathlib import Path

import pulumi
import pulumi_aws as aws
import pytest
from click.testing import CliRunner

from anyscale_infra.cli import EXIT_FAILED, EXIT_INTERRUPTED, main
from anyscale_infra.preview import ProgramError, run_function, run_program


def _vpc_then(stop: BaseException):
    def program():
        aws.ec2.Vpc("before", cidr_block="10.0.0.0/16")
        raise stop

    return program


def test_keyboard_interrupt_propagates_from_run_function():
    with pytest.raises(KeyboardInterrupt):
        run_function(_vpc_then(KeyboardInterrupt()))


def test_system_exit_propagates_with_its_code():
    with pytest.raises(SystemExit) as info:
        run_function(_vpc_then(SystemExit(3)))
    assert info.value.code == 3


@pytest.mark.parametrize("stop", [SystemExit(0), SystemExit(None), SystemExit(False)], ids=["0", "None", "False"])
def test_sys_exit_0_ends_the_program_early_as_a_success(stop):
    def program():
        vpc = aws.ec2.Vpc("before", cidr_block="10.0.0.0/16")
        pulumi.export("vpc", vpc.id)
        raise stop
        aws.ec2.Vpc("after", cidr_block="10.1.0.0/16")  # never reached

    result = run_function(program)
    assert [r.name for r in result.resources] == ["before"]
    assert result.outputs == {"vpc": result.named("before").id}
    assert any("before its end: the preview shows what it declared until then" in n for n in result.notes)


def test_system_exit_inside_an_output_callback_keeps_its_code():
    def program():
        vpc = aws.ec2.Vpc("v", cidr_block="10.0.0.0/16")
        pulumi.export("x", vpc.id.apply(lambda _: sys.exit(4)))

    with pytest.raises(SystemExit) as info:
        run_function(program)
    assert info.value.code == 4


def test_keyboard_interrupt_inside_an_output_callback_propagates():
    def interrupt(_: str) -> str:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_function(lambda: pulumi.export("x", aws.ec2.Vpc("v", cidr_block="10.0.0.0/16").id.apply(interrupt)))


def test_other_errors_are_still_program_errors():
    with pytest.raises(ProgramError) as info:
        run_function(_vpc_then(RuntimeError("boom")))
    assert info.value.kind == "program" and str(info.value) == "RuntimeError: boom"


def test_an_interrupted_run_leaves_nothing_behind_for_the_next():
    with pytest.raises(KeyboardInterrupt):
        run_function(_vpc_then(KeyboardInterrupt()))
    result = run_function(lambda: pulumi.export("v", aws.ec2.Vpc("next", cidr_block="10.0.0.0/16").id))
    assert [r.name for r in result.resources] == ["next"]
    assert result.outputs["v"] == result.named("next").id


MESSY = """\
    import gc, os, sys
    import pulumi_aws as aws
    aws.ec2.Vpc("v", cidr_block="10.0.0.0/16")
    sys.path.insert(0, "/nonexistent-added-by-the-program")
    os.chdir("/")
    gc.set_threshold(5)
    {stop}
"""


@pytest.mark.parametrize(
    "stop, raised",
    [
        ("pass", None),
        ("raise KeyboardInterrupt", KeyboardInterrupt),
        ("sys.exit(3)", SystemExit),
        ("sys.exit(0)", None),
        ("raise RuntimeError('boom')", ProgramError),
    ],
)
def test_global_state_is_restored_in_every_case(tmp_path, stop, raised):
    (tmp_path / "Pulumi.yaml").write_text("name: messy\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(textwrap.dedent(MESSY.format(stop=stop)))
    cwd, path, threshold = os.getcwd(), list(sys.path), gc.get_threshold()
    root = pulumi.runtime.get_root_resource()
    if raised is None:
        assert [r.name for r in run_program(tmp_path).resources] == ["v"]
    else:
        with pytest.raises(raised):
            run_program(tmp_path)
    assert os.getcwd() == cwd
    assert sys.path == path
    assert gc.get_threshold() == threshold
    assert pulumi.runtime.get_root_resource() is root  # the caller's context is untouched


def _cli(tmp_path: Path, body: str, *args: str):
    (tmp_path / "Pulumi.yaml").write_text("name: stops\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(textwrap.dedent(body))
    return CliRunner().invoke(main, ["preview", str(tmp_path), *args])


def test_cli_ctrl_c_prints_interrupted_and_exits_130(tmp_path):
    out = _cli(tmp_path, "raise KeyboardInterrupt\n")
    assert out.exit_code == EXIT_INTERRUPTED == 130
    assert "error: interrupted" in out.output and "Traceback" not in out.output


def test_cli_exits_with_the_programs_own_code(tmp_path):
    out = _cli(tmp_path, "import sys\nsys.exit(3)\n")
    assert out.exit_code == 3
    assert "the program exited with code 3" in " ".join(out.output.split())
    assert "program failed" not in out.output and "Traceback" not in out.output


def test_cli_sys_exit_with_a_message_exits_1_like_python(tmp_path):
    out = _cli(tmp_path, "import sys\nsys.exit('no region')\n")
    assert out.exit_code == EXIT_FAILED
    assert "the program exited: no region" in out.output


def test_cli_sys_exit_0_is_a_success_with_what_was_declared(tmp_path):
    body = """\
        import sys, pulumi, pulumi_aws as aws
        pulumi.export("vpc", aws.ec2.Vpc("before", cidr_block="10.0.0.0/16").id)
        sys.exit(0)
    """
    out = _cli(tmp_path, body, "--json")
    assert out.exit_code == 0, out.output
    assert '"name": "before"' in out.output
    assert "the program called sys.exit(0) before its end" in out.output


def test_cli_sys_exit_inside_an_output_callback_keeps_its_code(tmp_path):
    body = """\
        import sys, pulumi, pulumi_aws as aws
        pulumi.export("x", aws.ec2.Vpc("v", cidr_block="10.0.0.0/16").id.apply(lambda _: sys.exit(5)))
    """
    assert _cli(tmp_path, body).exit_code == 5


def test_a_real_ctrl_c_exits_130(tmp_path):
    """SIGINT to `anyscale-infra preview` while the program runs (not a raised exception)."""
    import signal
    import subprocess
    import time

    started = tmp_path / "started"
    body = f"""\
        import pathlib, time, pulumi_aws as aws
        aws.ec2.Vpc("v", cidr_block="10.0.0.0/16")
        pathlib.Path({str(started)!r}).write_text("yes")
        time.sleep(60)
    """
    (tmp_path / "Pulumi.yaml").write_text("name: slow\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(textwrap.dedent(body))
    process = subprocess.Popen(
        [sys.executable, "-m", "anyscale_infra", "preview", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not started.exists() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        assert started.exists(), process.communicate()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == EXIT_INTERRUPTED, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr


def test_check_ctrl_c_during_the_policy_evaluation_exits_130(tmp_path, monkeypatch):
    """After the program ran: an interrupt in the pack is not click's "Aborted!" (exit 1)."""
    import anyscale_infra.policy.runner as runner

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "evaluate", interrupted)
    (tmp_path / "Pulumi.yaml").write_text("name: stops\nruntime: python\n")
    (tmp_path / "__main__.py").write_text("import pulumi\npulumi.export('x', 1)\n")
    out = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert out.exit_code == EXIT_INTERRUPTED
    assert "error: interrupted" in out.output and "Aborted" not in out.output
