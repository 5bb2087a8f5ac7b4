"""Reading notebook cells as JSON (the kit reads notebooks without executing them)."""

from __future__ import annotations


def source(cell: dict) -> str:
    """A cell's text: nbformat stores it as one string or as a list of lines."""
    value = cell.get("source", "")
    return "".join(value) if isinstance(value, list) else (value or "")


def grade_id(cell: dict) -> str | None:
    """The nbgrader grade_id of a solution or check cell; None for other cells."""
    meta = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell, dict) else {}
    return meta.get("grade_id") if isinstance(meta, dict) else None
