"""In-memory audio: float32 samples shaped (frames, channels) with their sample rate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float32]


@dataclass(frozen=True, eq=False)
class Pcm:
    """Immutable by convention: functions return new ``Pcm`` objects rather than editing ``samples``."""

    samples: Samples  # shape (frames, channels), float32, nominal range [-1, 1]
    rate: int

    def __post_init__(self) -> None:
        if self.samples.ndim != 2:
            raise ValueError("Pcm samples must be shaped (frames, channels)")
        if self.samples.dtype != np.float32:
            raise ValueError("Pcm samples must be float32")
        if self.rate <= 0:
            raise ValueError("sample rate must be positive")

    @property
    def frames(self) -> int:
        return int(self.samples.shape[0])

    @property
    def channels(self) -> int:
        return int(self.samples.shape[1])

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.frames / self.rate

    @classmethod
    def silence(cls, seconds: float, rate: int, channels: int = 1) -> Pcm:
        frames = max(0, round(seconds * rate))
        return cls(np.zeros((frames, channels), dtype=np.float32), rate)

    @classmethod
    def from_mono(cls, samples: npt.ArrayLike, rate: int) -> Pcm:
        data = np.asarray(samples, dtype=np.float32).reshape(-1, 1)
        return cls(np.ascontiguousarray(data), rate)
