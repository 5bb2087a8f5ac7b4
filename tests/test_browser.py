"""End to end, in a real browser: JupyterLab from the kit's environment, driven in headless
Chromium the way a learner works — start page, exercise, Run All, a check that says "not attempted
yet", a correct function typed in and its check passing, then nbgrader's Validate button.

The server serves a private copy of the kit, with its own HOME and Jupyter folders, so the learner's
notebooks, settings and grades are never touched. Chromium is Debian's (/usr/bin/chromium, which
`make test` installs through scripts/ensure-system-deps.sh); Playwright only drives it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.browser_support import (CHROMIUM, CHROMIUM_ARGS, KIT_BIN, ROOT,
                                   assert_learner_extensions, assert_server_serves_learner_only,
                                   copy_kit, isolated_env, running_lab)

pytestmark = pytest.mark.slow

EXERCISE = "exercises/c1w1/c1w1.ipynb"
START_PAGE = "course/start.ipynb"

# A correct compute_cost, written as a learner would (a loop, brackets, nested indentation), so
# that the editor's auto-indent or bracket closing would show up if the typing were not literal.
COMPUTE_COST = """\
def compute_cost(x, y, w, b):
    m = x.shape[0]
    total_cost = 0.0
    for i in range(m):
        f_wb = w * x[i] + b
        total_cost += (f_wb - y[i]) ** 2
    return total_cost / (2 * m)"""

# The test's private user settings (they change nothing the learner gets): every cell is kept in
# the page (JupyterLab's default windowing keeps only the visible ones), so the test can find any
# cell by its text; and no "Jupyter news?" toast over the notebook.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
}
INSTRUCTOR_MENU_ITEMS = ("Formgrader", "Assignment List", "Course List")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing: {CHROMIUM} does not exist. The browser test needs "
                    "Debian's chromium package: `apt-get install -y chromium` (`make test` installs it "
                    "where it can; never `playwright install`).", pytrace=False)


class Steps:
    """Names the step being run; on failure saves a screenshot and says where it is."""

    def __init__(self, page: Page, folder: Path):
        self.page, self.folder, self.done = page, folder, []

    @contextlib.contextmanager
    def __call__(self, name: str):
        started = time.monotonic()
        try:
            yield
        except Exception as exc:
            shot = self.screenshot(name)
            raise AssertionError(f"browser step {name!r} failed: {exc}\nscreenshot: {shot}") from exc
        self.done.append((name, time.monotonic() - started))

    def screenshot(self, name: str) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{len(self.done) + 1:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower())}.png"
        try:
            self.page.screenshot(path=str(path), full_page=True)
        except Exception as exc:  # the page may be gone; the failure itself matters more
            return f"(no screenshot: {exc})"
        print(f"\nscreenshot of the failed step: {path}")
        return str(path)


@contextlib.contextmanager
def chromium_page(server, screenshots: Path):
    """A page in headless Chromium and its Steps; a failed step's message ends with the server's
    log, the browser is closed, and the time of each step is printed after."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            step = Steps(page, screenshots)
            try:
                yield page, step
            except AssertionError as exc:
                raise AssertionError(f"{exc}\n--- server log (last lines) ---\n"
                                     f"{server.log_tail()}") from exc
        finally:
            browser.close()
    for name, seconds in step.done:
        print(f"  {seconds:5.1f} s  {name}")


def _code_cell(panel, text: str):
    """The one code cell of `panel` whose source contains `text`."""
    cell = panel.locator(".jp-CodeCell").filter(
        has=panel.page.locator(".jp-InputArea-editor", has_text=text))
    expect(cell).to_have_count(1)
    return cell


def _editor_text(cell) -> str:
    return cell.locator(".cm-content").evaluate(
        "e => Array.from(e.querySelectorAll('.cm-line')).map(l => l.textContent).join('\\n')")


def _wait_idle(page: Page) -> None:
    expect(page.locator("#jp-main-statusbar")).to_contain_text("| Idle")


def _wait_kernel_started(server, path: str, timeout: float = 60) -> None:
    """The server has a kernel for the notebook at `path`, and it is idle."""
    deadline, sessions = time.monotonic() + timeout, []
    while time.monotonic() < deadline:
        status, body = server.api("/api/sessions")
        sessions = json.loads(body) if status == 200 else []
        if any(s.get("path") == path and (s.get("kernel") or {}).get("execution_state") == "idle"
               for s in sessions):
            return
        time.sleep(0.25)
    raise AssertionError(f"no idle kernel for {path} after {timeout:.0f} s; sessions: {sessions}")


def test_learner_jupyter_configuration(tmp_path):
    """`jupyter labextension list` / `jupyter server extension list` from the kit's environment:
    instructor tools disabled and locked, Validate enabled."""
    assert_learner_extensions(KIT_BIN, isolated_env(tmp_path / "home", KIT_BIN))


def test_learner_works_an_exercise_in_jupyterlab(tmp_path):
    _require_chromium()
    expect.set_options(timeout=60_000)
    started = time.monotonic()

    kit = copy_kit(tmp_path / "kit")
    learner_exercise = ROOT / EXERCISE
    learner_hash = _sha256(learner_exercise)
    home = tmp_path / "home"
    for name, value in LAB_SETTINGS.items():
        path = home / ".jupyter" / "lab" / "user-settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    has_start_page = (kit / START_PAGE).exists()
    n_cells = len(json.loads((kit / EXERCISE).read_text())["cells"])

    with running_lab(KIT_BIN, kit, home, cwd=kit) as server:
        print(f"\nJupyterLab ready after {time.monotonic() - started:.1f} s")
        assert_server_serves_learner_only(server)
        with chromium_page(server, tmp_path / "screenshots") as (page, step):
            _learner_session(page, step, server, has_start_page, n_cells)
    print(f"browser test took {time.monotonic() - started:.1f} s")

    # Validate saved the notebook it validated: in the private copy, never in the learner's files.
    saved = json.loads((kit / EXERCISE).read_text())
    sources = ["".join(c["source"]) for c in saved["cells"]]
    assert COMPUTE_COST in sources, "the typed solution was not saved in the served copy"
    assert _sha256(learner_exercise) == learner_hash, "the test modified the learner's exercise"


def _learner_session(page: Page, step: Steps, server, has_start_page: bool, n_cells: int) -> None:
    if has_start_page:
        with step("open the start page"):
            page.goto(server.page(f"/lab/tree/{START_PAGE}"))
            start = page.get_by_role("tabpanel", name="start.ipynb")
            expect(start.locator(".jp-MarkdownCell h3", has_text="c1w1").first).to_be_visible()
            link = start.locator(f'.jp-MarkdownCell a[href*="/files/{EXERCISE}"]')
            expect(link.first).to_be_visible()
        with step("follow the start page's link to the c1w1 exercise"):
            link.first.click()
    else:
        print(f"{START_PAGE} does not exist yet: opening {EXERCISE} directly")
        with step("open the c1w1 exercise"):
            page.goto(server.page(f"/lab/tree/{EXERCISE}"))

    panel = page.get_by_role("tabpanel", name="c1w1.ipynb")
    with step("exercise open, kernel idle"):
        expect(panel.locator(".jp-Notebook")).to_be_visible()
        expect(panel.locator(".jp-Cell")).to_have_count(n_cells)  # every cell is in the page
        _wait_kernel_started(server, EXERCISE)
        _wait_idle(page)

    with step("no instructor tools in the menus"):
        # nbgrader's "Nbgrader" menu holds only instructor tools; with them disabled it is empty
        # (or gone, once @jupyter/nbgrader:menu is disabled too).
        if "Nbgrader" in page.locator(".lm-MenuBar-itemLabel").all_inner_texts():
            page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
            menu = page.locator(".lm-Menu")
            expect(menu).to_have_count(1)
            text = menu.inner_text()
            page.keyboard.press("Escape")
            expect(menu).to_have_count(0)
            for item in INSTRUCTOR_MENU_ITEMS:
                assert item not in text, f"the Nbgrader menu offers {item!r}: {text!r}"

    with step("Run All Cells: the first check says 'not attempted yet'"):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        data = _code_cell(panel, "diabetes = load_diabetes(")
        expect(data.locator(".jp-OutputArea-output")).to_contain_text("m = 442 examples")
        first_check = _code_cell(panel, "check_compute_model_output(compute_model_output)")
        output = first_check.locator(".jp-OutputArea-output")
        expect(output).to_contain_text("`compute_model_output` is not attempted yet")
        # One plain message, not a traceback wall.
        text = output.inner_text()
        assert "Traceback" not in text and "File " not in text and len(text.splitlines()) <= 3, text
        _wait_idle(page)  # Run All stops at that first failing check

    solution = _code_cell(panel, "def compute_cost(")
    check = _code_cell(panel, "check_compute_cost(compute_cost)")
    check_output = check.locator(".jp-OutputArea-output")
    with step("the compute_cost check says 'not attempted yet'"):
        solution.locator(".cm-content").click()
        page.keyboard.press("Shift+Enter")  # runs the stub, selects the check cell
        page.keyboard.press("Shift+Enter")  # runs the check
        expect(check_output).to_contain_text("`compute_cost` is not attempted yet")
        _wait_idle(page)

    with step("type a correct compute_cost"):
        solution.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        # Inserted as text, not key by key: the editor neither auto-indents nor closes brackets.
        page.keyboard.insert_text(COMPUTE_COST)
        assert _editor_text(solution) == COMPUTE_COST, _editor_text(solution)

    with step("run it and re-run the check: it passes"):
        page.keyboard.press("Shift+Enter")
        page.keyboard.press("Shift+Enter")
        expect(check_output).to_contain_text("\u2713 compute_cost")
        expect(check_output).not_to_contain_text("not attempted")
        _wait_idle(page)

    with step("Validate: failed, naming the unattempted checks and not compute_cost's"):
        panel.locator("jp-button.validate-button").click()
        dialog = page.locator(".jp-Dialog")
        expect(dialog).to_contain_text("Validation Results", timeout=120_000)
        message = dialog.locator("#validation-message")
        expect(message).to_be_visible(timeout=120_000)
        expect(message).to_have_class(re.compile(r"\bvalidation-failed\b"))
        text = message.inner_text()
        assert "The following cell failed" in text, text
        for name in ("compute_model_output", "compute_gradient", "gradient_descent"):
            assert f"check_{name}({name})" in text, f"Validate does not name check_{name}:\n{text}"
            assert f"`{name}` is not attempted yet" in text, text
        assert "check_compute_cost(compute_cost)" not in text, \
            f"Validate reports the passing compute_cost check as failed:\n{text}"
        dialog.get_by_role("button", name="Ok").click()
        expect(dialog).to_have_count(0)
