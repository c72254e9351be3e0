"""Run every benchmark module in bench/ and write docs/BENCHMARKS.md.

A benchmark module is ``bench/bench_<name>.py`` with a function ``run() -> Report``; the reports
are written in module order, each as a Markdown section of medians and ratios against its goal.

``python -m bench NAME ...`` runs only those modules (``notice`` for bench_notice.py) and rewrites
only their sections, each marked with the date it was measured, keeping the others as they were.
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "BENCHMARKS.md"


def _processor() -> str:
    """The CPU's model name, which platform.processor() leaves empty on Linux."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown processor"


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    names = sorted(path.stem for path in (ROOT / "bench").glob("bench_*.py"))
    chosen = [f"bench_{name}" for name in sys.argv[1:]]
    unknown = sorted(set(chosen) - set(names))
    if unknown:
        raise SystemExit(f"no such benchmark: {', '.join(unknown)}; there are {', '.join(names)}")
    sections = []
    for name in chosen or names:
        print(f"running {name} ...", flush=True)
        module = importlib.import_module(f"bench.{name}")
        sections.append(module.run().markdown())
    if chosen:
        return _sections_replace(sections)
    header = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
        f"Python {platform.python_version()}, {os.cpu_count()} cores ({_processor()}), {platform.machine()}.",
        "",
    ]
    if not sections:
        header.append("No benchmarks yet: later features add theirs here.")
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text("\n".join(header + sections) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


def _sections_replace(sections: list[str]) -> int:
    """Put each new section in place of the one with its title (or at the end), dated."""
    text = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else "# Benchmarks\n"
    parts = text.rstrip("\n").split("\n## ")
    head, old = parts[0], {part.split("\n", 1)[0]: "## " + part for part in parts[1:]}
    order = list(old)
    stamp = f"Measured alone by `python -m bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC."
    for section in sections:
        title, body = section.removeprefix("## ").split("\n", 1)
        if title not in old:
            order.append(title)
        old[title] = f"## {title}\n\n{stamp}\n{body}"
    OUTPUT.write_text(
        "\n".join([head.rstrip("\n"), "", *(old[title].rstrip("\n") + "\n" for title in order)]),
        encoding="utf-8",
    )
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
