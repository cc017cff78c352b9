"""Render the studio's icon from its drawing: the window's PNGs and the Windows program icon.

    python scripts/make_icons.py          # after a change to assets/icon/studio.svg; commit what it writes

* ``assets/icon/studio-<size>.png`` (16–256 px): the windows' and the taskbar's icon (``studio.ui.app``), on
  every system, from the installed package or the frozen build;
* ``packaging/icons/CommuneRadioStudio.ico``: the programs' icon in the frozen build (``packaging/studio.spec``),
  which Windows shows on the desktop shortcut, in the Start menu and for ``.bantin`` files.

Qt's SVG renderer draws each size (what the window would draw itself); Pillow writes the multi-size ICO,
which Qt's own ICO writer cannot (one image a file). ``tests/gui/test_icon.py`` checks that the committed
files are this drawing at these sizes.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DRAWING = ROOT / "assets" / "icon" / "studio.svg"
PNG_DIR = ROOT / "assets" / "icon"
ICO = ROOT / "packaging" / "icons" / "CommuneRadioStudio.ico"
SIZES = (16, 24, 32, 48, 64, 128, 256)  # what Windows asks an .ico for, from lists to the largest tiles


def render(size: int) -> bytes:
    """The drawing at ``size`` × ``size`` pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(DRAWING))
    if not renderer.isValid():
        raise SystemExit(f"{DRAWING} is not a drawing Qt can render")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    try:
        from PIL import Image
    except ImportError:
        print("Pillow writes the .ico: pip install '.[package]'", file=sys.stderr)
        return 1
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (fonts and images need one)
    rendered = {size: render(size) for size in SIZES}
    for size, png in rendered.items():
        (PNG_DIR / f"studio-{size}.png").write_bytes(png)
    ICO.parent.mkdir(parents=True, exist_ok=True)
    largest = Image.open(io.BytesIO(rendered[SIZES[-1]]))
    others = [Image.open(io.BytesIO(rendered[size])) for size in SIZES[:-1]]
    largest.save(ICO, format="ICO", sizes=[(size, size) for size in SIZES], append_images=others)
    print(f"wrote {len(SIZES)} PNGs under {PNG_DIR.relative_to(ROOT)} and {ICO.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
