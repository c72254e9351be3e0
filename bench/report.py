"""The shape every benchmark returns, so docs/BENCHMARKS.md reads the same throughout."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Report:
    title: str
    description: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        lines = [f"## {self.title}", "", self.description, ""]
        lines.append("| " + " | ".join(self.columns) + " |")
        lines.append("|" + "---|" * len(self.columns))
        lines.extend("| " + " | ".join(row) + " |" for row in self.rows)
        if self.goals:
            lines.append("")
            lines.extend(f"- {goal}" for goal in self.goals)
        lines.append("")
        return "\n".join(lines)
