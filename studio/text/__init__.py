"""Text: Vietnamese normalisation for speech, lexicons, pause markup, reading-time estimates."""
