"""Speech: the engine protocol, engines (offline eSpeak NG, online edge-tts), presets."""
