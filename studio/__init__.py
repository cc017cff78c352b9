"""Commune Radio Studio: produce, master and deliver commune loudspeaker bulletins."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("commune-radio-studio")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
