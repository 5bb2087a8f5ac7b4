"""The course kit's grading machinery: the syllabus, the check library, nbgrader grading and the CLI."""
