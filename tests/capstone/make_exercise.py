"""Maintainers: regenerate exercises/capstone/capstone.ipynb from solutions/capstone/capstone.ipynb.

Each `### BEGIN SOLUTION` ... `### END SOLUTION` block becomes `# YOUR CODE HERE` and
`raise NotImplementedError()`; outputs are dropped. app.py, tests/ and MODEL_CARD.md of the
exercise are written by hand (they are stubs with the contract, not stripped solutions), and the
exercise has no model.skops.

    python -m tests.capstone.make_exercise
"""

from __future__ import annotations

import json
import re

from autograder import paths

BLOCK = re.compile(r"^([ \t]*)### BEGIN SOLUTION\n.*?^[ \t]*### END SOLUTION\n?", re.S | re.M)


def strip(text: str) -> str:
    return BLOCK.sub(lambda m: f"{m.group(1)}# YOUR CODE HERE\n{m.group(1)}raise NotImplementedError()\n", text)


def exercise_notebook() -> dict:
    nb = json.loads((paths.SOLUTIONS / "capstone" / "capstone.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code":
            cell["source"] = strip(text).rstrip("\n")
            cell["outputs"], cell["execution_count"] = [], None
    return nb


def render() -> str:
    return json.dumps(exercise_notebook(), indent=1, ensure_ascii=False) + "\n"


def main() -> None:
    target = paths.EXERCISES / "capstone" / "capstone.ipynb"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target.relative_to(paths.ROOT)}")


if __name__ == "__main__":
    main()
