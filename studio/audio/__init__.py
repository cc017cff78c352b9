"""Audio: decode/encode through ffmpeg, numpy mixing, loudness measurement and mastering."""
