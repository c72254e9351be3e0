"""The statement corpus (tests/fixtures/statements/) and how its fields are scored.

Each statement has, beside it, the fields a careful reader writes down from it
(``NN_name.expected.json``; the conventions are in the corpus's README). A field is right when the
importer gives what the reader wrote: names, IDs, addresses, e-mails and phones exactly (spacing
aside), the purpose when it starts and ends where the reader's passage does, the data items when
they are the reader's items in the reader's order (case aside), and a register name the
statement does not give when the importer composed one and said so in a warning.

``python -m tests.corpus_support`` prints the accuracy per field and per statement.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incidents.importer import JSON_KEYS, statement_parse
from incidents.importer.decoding import statement_read

CORPUS = Path(__file__).resolve().parent / "fixtures" / "statements"

# Every field of the --json contract a reader can write down: not the file's name, the check
# digit's verdict (it follows from the business ID) or the warnings.
SCORED_FIELDS = tuple(key for key in JSON_KEYS if key not in {"source", "business_id_valid", "warnings"})


@dataclass(frozen=True)
class CorpusStatement:
    path: Path
    expected: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.name


def corpus() -> list[CorpusStatement]:
    found = []
    for expected in sorted(CORPUS.glob("*.expected.json")):
        stem = expected.name.removesuffix(".expected.json")
        [path] = [p for p in CORPUS.glob(f"{stem}.*") if not p.name.endswith(".expected.json")]
        found.append(CorpusStatement(path, json.loads(expected.read_text(encoding="utf-8"))))
    return found


def _flat(value: str) -> str:
    return " ".join(value.split())


def _item(text: str) -> str:
    return _flat(text).strip(" .;,").lower()


def field_right(name: str, expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    want, got = expected.get(name), actual.get(name)
    if name == "register_name" and expected.get("register_name_composed"):
        return bool(got) and any("Register name" in warning for warning in actual["warnings"])
    if name == "purpose":
        if want is None or got is None:
            return want is None and got is None
        text = _flat(got)
        return text.startswith(_flat(want["starts"])) and text.endswith(_flat(want["ends"]))
    if name == "data_items":
        return [_item(i) for i in want or []] == [_item(i["text"]) for i in got or []]
    if isinstance(want, str) and isinstance(got, str):
        return _flat(want) == _flat(got)
    return bool(want == got)


def statement_registers(statement: CorpusStatement) -> list[dict[str, Any]]:
    decoded = statement_read(source=statement.name, content=statement.path.read_bytes())
    parsed = statement_parse(source=statement.name, text=decoded.text)
    return [register.as_json() for register in parsed.registers]


def scores(statement: CorpusStatement) -> list[tuple[str, bool, Any, Any]]:
    """(field, right, expected, got) for each scored field of each register the reader found."""
    actual = statement_registers(statement)
    out = []
    for index, expected in enumerate(statement.expected["registers"]):
        got = actual[index] if index < len(actual) else {"warnings": []}
        for name in SCORED_FIELDS:
            out.append((name, field_right(name, expected, got), expected.get(name), got.get(name)))
    return out


def accuracy(statements: list[CorpusStatement]) -> tuple[int, int]:
    right = total = 0
    for statement in statements:
        for _name, ok, _want, _got in scores(statement):
            right += ok
            total += 1
    return right, total


def _report() -> None:
    statements = corpus()
    per_field: dict[str, list[int]] = {name: [0, 0] for name in SCORED_FIELDS}
    for statement in statements:
        wrong = []
        for name, ok, want, got in scores(statement):
            per_field[name][0] += ok
            per_field[name][1] += 1
            if not ok:
                got_text = [i["text"] for i in got] if name == "data_items" and got else got
                wrong.append(f"    {name}: expected {want!r}\n    {' ' * len(name)}  got      {got_text!r}")
        print(f"{statement.name}: {len(wrong)} wrong")
        for line in wrong:
            print(line)
    print()
    for name, (right, total) in per_field.items():
        print(f"{name:24} {right:3}/{total:3}")
    right, total = accuracy(statements)
    print(f"{'all fields':24} {right:3}/{total:3} = {right / total:.1%} over {len(statements)} statements")


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    django.setup()
    _report()
