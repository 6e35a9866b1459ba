"""Write data/exempel-palliativ-nationell.csv: synthetic, seeded, national example data.

The numbers are made up (a fixed seed, so the file is the same every time) and
exist only to show parameterised reports; every page built from them says
"Exempeldata". Run: .venv/bin/python scripts/make_example_data.py
"""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 20251124
PERIODS = ("2021–2022", "2022–2023")
# indicator id: (typical share for cancer diagnoses, all-diagnoses offset or None)
INDICATORS = {
    "tackningsgrad": (55, None),
    "brytpunktssamtal": (86, -12),
    "smartskattning": (64, -8),
    "vb-angest": (95, -2),
    "vb-opioid": (96, -2),
    "munhalsa": (58, -6),
}


def clamp(value: float) -> int:
    return max(0, min(100, round(value)))


def main() -> None:
    regions_file = ROOT / "src" / "rmr_gen" / "data" / "regions.toml"
    regions_toml = tomllib.loads(regions_file.read_text(encoding="utf-8"))
    regions = [r for members in regions_toml["sjukvardsregioner"].values() for r in members]
    rng = random.Random(SEED)
    lines = ["indicator;region;period;population;value"]
    for indicator, (typical, all_offset) in INDICATORS.items():
        for region in regions:
            current = clamp(typical + rng.gauss(0, 6))
            previous = clamp(current - rng.gauss(0.5, 2.5))
            lines.append(f"{indicator};{region};{PERIODS[0]};cancer;{previous}")
            lines.append(f"{indicator};{region};{PERIODS[1]};cancer;{current}")
            if all_offset is not None:
                value = clamp(current + all_offset + rng.gauss(0, 2))
                lines.append(f"{indicator};{region};{PERIODS[1]};all;{value}")
    target = ROOT / "data" / "exempel-palliativ-nationell.csv"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}: {len(lines) - 1} rows")


if __name__ == "__main__":
    main()
