"""The Grade button (issue 16 §1), for real: the kit's JupyterLab, with the built extension that
`setup-jupyter` puts in place, driven in headless Chromium. A filled c1w1 exercise (the solution
notebook, copied over the exercise in a private copy of the kit) is graded by pressing Grade; the
table shows every check passed and the score at its maximum; the feedback report opens in a tab.

The server endpoints are also tested without a browser: authentication is required, a
notebook that is not the kit's gets one line, a broken one the kit's one-paragraph message.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from autograder import syllabus
from tests.browser_support import KIT_BIN, ROOT, copy_kit, running_lab
from tests.test_browser import LAB_SETTINGS, Steps, _require_chromium, _sha256, chromium_page

pytestmark = pytest.mark.slow

MODULE = "c1w1"
EXERCISE = f"exercises/{MODULE}/{MODULE}.ipynb"
NOT_KIT = "scratch/notes.ipynb"  # a learner's own notebook: no kit metadata, no check cells


def _kit_with_filled_exercise(tmp_path: Path) -> tuple[Path, Path]:
    kit = copy_kit(tmp_path / "kit")
    shutil.copy(ROOT / "solutions" / MODULE / f"{MODULE}.ipynb", kit / EXERCISE)
    (kit / NOT_KIT).parent.mkdir(parents=True, exist_ok=True)
    (kit / NOT_KIT).write_text(json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": "a1", "metadata": {},
                   "outputs": [], "source": ["1 + 1"]}],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5}))
    home = tmp_path / "home"
    for name, value in LAB_SETTINGS.items():
        path = home / ".jupyter" / "lab" / "user-settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    return kit, home


@pytest.mark.fast
def test_setup_jupyter_installs_the_grade_button(tmp_path):
    """`setup-jupyter` into a fresh prefix: the built extension is where JupyterLab finds
    prebuilt extensions, whole (its package.json names the remote entry that exists), and the
    server extension is enabled in the kit's server configuration; running it again is harmless."""
    from autograder import jupyter_setup

    for _ in range(2):
        jupyter_setup.configure(tmp_path)
    installed = tmp_path / "share" / "jupyter" / "labextensions" / jupyter_setup.GRADE_LAB_EXTENSION
    meta = json.loads((installed / "package.json").read_text())
    assert meta["name"] == jupyter_setup.GRADE_LAB_EXTENSION
    assert (installed / meta["jupyterlab"]["_build"]["load"]).is_file(), meta["jupyterlab"]["_build"]
    config = json.loads((tmp_path / "etc" / "jupyter" / "jupyter_server_config.d" / "zz-ml-course-kit.json").read_text())
    assert config["ServerApp"]["jpserver_extensions"][jupyter_setup.GRADE_SERVER_EXTENSION] is True
    # The source's package.json and the built one agree on the name (a rename would be missed).
    source = json.loads((ROOT / "labextension" / "package.json").read_text())
    assert source["name"] == meta["name"] and source["jupyterlab"]["outputDir"] == "../autograder/labextension"
    # The built output is built from the source as it is now (`make labextension` stamps it).
    stamp = (jupyter_setup.GRADE_LAB_EXTENSION_BUILT / jupyter_setup.SOURCE_STAMP).read_text().strip()
    assert stamp == jupyter_setup.lab_extension_source_hash(), \
        "labextension/ changed since autograder/labextension/ was built: run `make labextension` and commit its output"


def _post(server, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(server.url + path, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_grade_endpoint_answers(tmp_path):
    kit, home = _kit_with_filled_exercise(tmp_path)
    (kit / "scratch" / "broken.ipynb").write_text('{"cells": [')
    # Nothing here is graded to the end (refusals and a broken notebook): no warm grader needed.
    with running_lab(KIT_BIN, kit, home, cwd=kit, warm_grader=False) as server:
        auth = {"Authorization": f"token {server.token}", "Content-Type": "application/json"}
        # Enabled by setup-jupyter: the endpoint exists and nothing is being graded.
        status, body = server.api("/ml-course-kit/grade")
        assert status == 200 and json.loads(body) == {"grading": []}, (status, body)
        # No token: refused (authentication), and nothing runs.
        status, _ = _post(server, "/ml-course-kit/grade", json.dumps({"path": EXERCISE}).encode(),
                          {"Content-Type": "application/json"})
        assert status == 403, status
        # Outside the server's root: refused.
        status, _ = _post(server, "/ml-course-kit/grade", json.dumps({"path": "../../etc/passwd"}).encode(), auth)
        assert status == 403, status
        # Not one of the kit's notebooks: one line.
        status, body = _post(server, "/ml-course-kit/grade", json.dumps({"path": NOT_KIT}).encode(), auth)
        answer = json.loads(body)
        assert status == 200 and answer["status"] == "not-kit", (status, answer)
        assert "not one of the course kit's exercises or quizzes" in answer["message"]
        assert "\n" not in answer["message"]
        # A broken notebook: the kit's own paragraph (the CLI's KitError), not a traceback.
        status, body = _post(server, "/ml-course-kit/grade", json.dumps({"path": "scratch/broken.ipynb"}).encode(), auth)
        answer = json.loads(body)
        assert status == 200 and answer["status"] == "error", (status, answer)
        assert "is not a valid notebook: its JSON is broken" in answer["message"], answer
        assert "Traceback" not in answer["message"] and "\n" not in answer["message"], answer


def test_press_grade_in_jupyterlab(tmp_path):
    _require_chromium()
    expect.set_options(timeout=60_000)
    started = time.monotonic()
    kit, home = _kit_with_filled_exercise(tmp_path)
    module = syllabus.load().module(MODULE)
    learner_hash = _sha256(ROOT / EXERCISE)

    with running_lab(KIT_BIN, kit, home, cwd=kit) as server:
        print(f"\nJupyterLab ready after {time.monotonic() - started:.1f} s")
        with chromium_page(server, tmp_path / "screenshots") as (page, step):
            click_to_table = _grade_session(page, step, server, module)
        log = server.log.read_text(errors="replace")
    print(f"Grade button: click to table shown {click_to_table:.1f} s")
    print(f"grade button test took {time.monotonic() - started:.1f} s")
    # The second click while grading started no second grading.
    assert len(re.findall(r"ml-course-kit: graded .*c1w1\.ipynb", log)) == 1, log[-3000:]
    assert _sha256(ROOT / EXERCISE) == learner_hash, "the test modified the learner's exercise"


def _grade_session(page: Page, step: Steps, server, module) -> float:
    with step("open the filled exercise: it has a Grade button"):
        page.goto(server.page(f"/lab/tree/{EXERCISE}"))
        panel = page.get_by_role("tabpanel", name=f"{MODULE}.ipynb")
        expect(panel.locator(".jp-Notebook")).to_be_visible()
        button = panel.locator("button.ml-kit-grade-button")
        expect(button).to_be_visible()
        expect(button).to_have_text("Grade")

    with step("press Grade; a second click says 'please wait'"):
        clicked = time.monotonic()
        button.click()
        expect(button).to_have_text("Grading\u2026")
        # The notebook is saved, then graded: the server says so while it grades.
        deadline, body = time.monotonic() + 30, b""
        while time.monotonic() < deadline:
            status, body = server.api("/ml-course-kit/grade")
            if status == 200 and json.loads(body)["grading"] == [EXERCISE]:
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"the server is not grading {EXERCISE}: {body!r}")
        button.click()
        expect(page.locator(".jp-toast-message", has_text="please wait").first).to_be_visible()

    with step("the result table: every check passed, the score at its maximum"):
        result = page.locator(".jp-Dialog .ml-kit-grade-result")
        expect(result).to_be_visible(timeout=600_000)
        click_to_table = time.monotonic() - clicked
        step.folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(step.folder / "grade-result.png"))  # for a person to look at
        assert float(result.get_attribute("data-score")) == module.max_score, result.inner_text()
        assert float(result.get_attribute("data-max-score")) == module.max_score
        rows = result.locator("tbody tr")
        expect(rows).to_have_count(len(module.functions))
        expect(result.locator("tbody tr.ml-kit-fail")).to_have_count(0)
        for f in module.functions:
            row = result.locator(f'tbody tr[data-check="{f.test_id}"]')
            expect(row.locator(".ml-kit-status")).to_have_text("pass")
            expect(row.locator(".ml-kit-points")).to_have_text(f"{f.points:g} / {f.points:g}")
            assert row.locator(".ml-kit-message").inner_text().strip(), f"no message for {f.test_id}"
        expect(result.locator("tfoot .ml-kit-points")).to_have_text(
            f"{module.max_score:g} / {module.max_score:g}")
        expect(button).to_have_text("Grade")

    with step("open the feedback report in a JupyterLab tab"):
        result.locator("a.ml-kit-feedback-link").click()
        expect(page.locator(".jp-Dialog")).to_have_count(0)
        tab = page.locator(f"#ml-kit-feedback-{MODULE}")
        expect(tab).to_be_visible()
        expect(page.locator(".lm-TabBar-tab", has_text=f"{MODULE} feedback")).to_have_count(1)
        report = tab.frame_locator("iframe")
        expect(report.locator(".kit-summary h2")).to_have_text(
            f"{MODULE}: {module.max_score:g} / {module.max_score:g} points")

    with step("a notebook that is not the kit's: no Grade button; the command says so in one line"):
        page.goto(server.page(f"/lab/tree/{NOT_KIT}"))
        other = page.get_by_role("tabpanel", name="notes.ipynb")
        expect(other.locator(".jp-Notebook")).to_be_visible()
        expect(other.locator("button.ml-kit-grade-button")).to_be_hidden()
        # The kernel's start moves the focus when it is ready, which closes the (modal) palette:
        # open the palette once the kernel is idle, and again if the focus still took it away.
        expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible()
        other.locator(".jp-Notebook").click()
        search = page.locator(".lm-CommandPalette-input")
        for attempt in range(3):
            page.get_by_role("menuitem", name="View", exact=True).click()
            page.get_by_role("menuitem", name="Activate Command Palette").click()
            try:
                expect(search).to_be_visible(timeout=10_000)
                break
            except AssertionError:
                if attempt == 2:
                    raise
        search.fill("Grade This Notebook")
        entry = page.locator(".lm-CommandPalette-item", has_text="Grade This Notebook")
        expect(entry).to_have_count(1)
        entry.click()
        toast = page.locator(".jp-toast-message", has_text="not one of the course kit")
        expect(toast.first).to_be_visible()
    return click_to_table
