"""python -m autograder.quiz build [--exercises] [MODULE ...]   (default: every module with a quiz.toml)

Writes solutions/<module>-quiz/<module>-quiz.ipynb from the module's bank and manifest;
`make exercises MODULE=<module>-quiz` then generates the learner's notebook."""

from __future__ import annotations

import argparse
import sys

from autograder.errors import KitError


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m autograder.quiz")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write the quiz's solutions notebook from its bank")
    b.add_argument("modules", nargs="*", help="module ids (c1w1 or c1w1-quiz); default: every quiz")
    b.add_argument("--exercises", action="store_true",
                   help="then generate the learner's notebooks with nbgrader (exercises/<module>-quiz/)")
    args = p.parse_args(argv)
    from autograder import syllabus
    from autograder.quiz import notebook

    try:
        modules = args.modules or [q.of for q in syllabus.load().quizzes]
        for module_id in modules:
            print(notebook.build(module_id))
        if args.exercises:
            from autograder import exercises

            quiz_ids = [m if m.endswith(syllabus.QUIZ_SUFFIX) else m + syllabus.QUIZ_SUFFIX for m in modules]
            for line in exercises.generate(quiz_ids):
                print(line)
    except KitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
