"""Every directory the studio uses, resolved in one place.

The default locations come from platformdirs (per user, per platform). ``STUDIO_HOME`` or the
``--data-dir`` option redirect *everything* below one folder, which is what tests and portable
installs (a USB stick) need. Nothing here creates global state: build a :class:`StudioPaths` and
pass it on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "CommuneRadioStudio"
APP_AUTHOR = "CommuneRadio"
HOME_ENV = "STUDIO_HOME"


@dataclass(frozen=True)
class StudioPaths:
    """The studio's directories. ``ensure()`` creates them; nothing else writes outside them."""

    data: Path
    cache: Path
    config: Path
    logs: Path

    @property
    def media(self) -> Path:
        """Content-addressed audio (takes, synthesised speech, jingles)."""
        return self.data / "media"

    @property
    def renders(self) -> Path:
        return self.data / "renders"

    @property
    def backups(self) -> Path:
        return self.data / "backups"

    @property
    def database_file(self) -> Path:
        return self.data / "studio.sqlite3"

    @property
    def outbox_folder(self) -> Path:
        """Default folder target: where a controller (or a share) picks programmes up."""
        return self.data / "outbox"

    def ensure(self) -> StudioPaths:
        for folder in (self.data, self.cache, self.config, self.logs, self.media, self.renders, self.backups):
            folder.mkdir(parents=True, exist_ok=True)
        return self

    @classmethod
    def under(cls, home: Path) -> StudioPaths:
        """All directories below one folder (portable mode, tests)."""
        home = home.expanduser().resolve()
        return cls(data=home / "data", cache=home / "cache", config=home / "config", logs=home / "logs")

    @classmethod
    def platform_default(cls) -> StudioPaths:
        return cls(
            data=Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
            cache=Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)),
            config=Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)),
            logs=Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)),
        )

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> StudioPaths:
        """``--data-dir`` wins, then ``STUDIO_HOME``, then the platform's per-user folders."""
        if data_dir:
            return cls.under(Path(data_dir))
        env = os.environ.get(HOME_ENV)
        if env:
            return cls.under(Path(env))
        return cls.platform_default()


def assets_dir() -> Path:
    """Shipped data (presets, jingles): inside the installed package, or the source tree's ``assets/``."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "assets", here.parent / "assets"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("The studio's assets folder is missing; reinstall the studio.")
