"""The PDF's embedded Unicode font: DejaVu Sans from Debian's fonts-dejavu-core (á, ñ, ü, ß, –, “ ” and
more), read from disk, never downloaded. ``REPORT_FONT_DIR`` points elsewhere if the files live elsewhere;
``scripts/install-apt-packages fonts-dejavu-core`` installs them (``.ci/run`` and ``make`` do)."""

from __future__ import annotations

import os
from pathlib import Path

FAMILY = "dejavu"
DEFAULT_DIR = "/usr/share/fonts/truetype/dejavu"
#: fpdf2 style → file of fonts-dejavu-core. That package has no oblique face: "I" is drawn upright.
FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans.ttf"}


class FontMissing(RuntimeError):
    pass


def font_files() -> dict[str, Path]:
    """Style → font file; FontMissing names the package to install when one is absent."""
    folder = Path(os.environ.get("REPORT_FONT_DIR") or DEFAULT_DIR)
    files = {style: folder / name for style, name in FILES.items()}
    absent = sorted({str(path) for path in files.values() if not path.is_file()})
    if absent:
        raise FontMissing(
            f"The report PDF's font is missing ({', '.join(absent)}): install Debian's fonts-dejavu-core "
            "(scripts/install-apt-packages fonts-dejavu-core) or set REPORT_FONT_DIR."
        )
    return files
