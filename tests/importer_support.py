"""Helpers for the importer tests: the seed statements and reading one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from incidents.importer import statement_parse

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
SHARED_SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def seed_path(number: str) -> Path:
    return next(SEEDS.glob(f"{number}_*.txt"))


def seed_text(number: str) -> str:
    return seed_path(number).read_text(encoding="utf-8")


def parsed(text: str, source: str = "statement.txt") -> list[dict[str, Any]]:
    return [register.as_json() for register in statement_parse(source=source, text=text).registers]


def items(register: dict[str, Any]) -> list[tuple[str, str]]:
    return [(item["text"], item["class"]) for item in register["data_items"]]
