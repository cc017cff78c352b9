"""Screenshots of the main flows, in Vietnamese, from the real application (for the user guide and README).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_screenshots.py [--out docs/guide/images]

Builds a throw-away studio (the first-run wizard's answers, the sample bulletin rendered with the offline
voice, a phrase), opens the real windows at a fixed size and saves what they draw. Run it again after a
change to the interface and commit the pictures with the change.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio.first_run import FirstRunSetup, set_up  # noqa: E402
from studio.paths import StudioPaths  # noqa: E402
from studio.services import Studio  # noqa: E402
from studio.store.phrases import PhraseInfo  # noqa: E402
from studio.ui.app import apply_font_size, apply_language, build_main_window  # noqa: E402
from studio.ui.booth import BoothDialog, BoothSubject  # noqa: E402
from studio.ui.first_run_wizard import FirstRunWizard  # noqa: E402
from studio.ui.phrase_bank import PhraseBankDialog  # noqa: E402
from studio.ui.tasks import TaskRunner  # noqa: E402

SIZE = (1280, 800)


def settle(app: QApplication, ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def wait_for(app: QApplication, done: Callable[[], bool], timeout_s: float = 120.0) -> None:
    waited = 0.0
    while not done():
        settle(app, 100)
        waited += 0.1
        if waited > timeout_s:
            raise TimeoutError("the window did not get there in time")


def shoot(widget: QWidget, out: Path, name: str) -> Path:
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "guide" / "images")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    app = QApplication.instance() or QApplication(["studio-screenshots"])
    assert isinstance(app, QApplication)
    translators = apply_language(app, "vi")
    apply_font_size(app, 11)
    home = Path(tempfile.mkdtemp(prefix="studio-shots-"))
    studio = Studio.open(StudioPaths.under(home))
    runner = TaskRunner()
    try:
        wizard = FirstRunWizard(studio, runner, "vi")
        wizard.resize(760, 560)
        wizard.show()
        wizard.station.name.setText("Đài truyền thanh xã Chiềng Cơi")
        wizard.station.commune.setText("Xã Chiềng Cơi")
        wizard.station.province.setText("Tỉnh Sơn La")
        settle(app)
        shoot(wizard, out, "01-thiet-lap")
        wizard.next()
        wizard.next()
        wizard.languages.tick("twh-tavt-record")
        wizard.languages.tick("hnj-rpa-record")
        settle(app)
        shoot(wizard, out, "02-ngon-ngu")
        wizard.close()

        set_up(studio, FirstRunSetup("Đài truyền thanh xã Chiềng Cơi", "Xã Chiềng Cơi", "Tỉnh Sơn La",
                                     area_presets=("twh-tavt-record",), admin_username="quantri",
                                     admin_password="mat-khau-xa", admin_password_again="mat-khau-xa",
                                     admin_display_name="Lò Văn Pâng"))
        window = build_main_window(studio, language="vi", runner=runner)
        window.resize(*SIZE)
        window.show()
        wait_for(app, lambda: window.editor.bulletin_id is not None)
        window.render()
        wait_for(app, lambda: window.render_task is None and window.render_info is not None)
        settle(app, 600)
        shoot(window, out, "03-cua-so-chinh")

        card = window.editor.cards[1]
        booth = BoothDialog(studio, runner, BoothSubject("Đoạn 2 (Lời chào)", card.text.toPlainText(),
                                                         card.preset.currentData(), estimate_s=card.seconds),
                            language="vi", parent=window)
        booth.resize(900, 720)
        booth.show()
        booth.meter.set_levels(-8.0, -19.0, False)
        booth.clock.setText("0:07 / ≈ 0:09")
        settle(app)
        shoot(booth, out, "04-phong-thu")
        booth.close()

        station = studio.station()
        studio.phrases.save(PhraseInfo(None, station.id, "twh-tavt-record", "Giới thiệu đài (Thái)", "ident",
                                       "ꪒꪾꪉ ꪩꪺꪉ ꪕꪱꪉ ꪼꪀ", "Đây là Đài truyền thanh xã"), actor=studio.actor)
        bank = PhraseBankDialog(studio, runner, language="vi", parent=window)
        bank.resize(940, 560)
        bank.show()
        wait_for(app, lambda: bank.list.count() == 1)
        bank.list.setCurrentRow(0)
        settle(app)
        shoot(bank, out, "05-kho-cau")
        bank.close()

        outbox = window.open_outbox()
        outbox.resize(980, 520)
        settle(app, 600)
        shoot(outbox, out, "06-hop-thu-di")
        outbox.close()
        window.close()
    finally:
        runner.shutdown()
        studio.close()
        for translator in translators:
            app.removeTranslator(translator)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
