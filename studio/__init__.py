"""Commune Radio Studio: produce, master and deliver commune loudspeaker bulletins."""

from functools import cache


@cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("commune-radio-studio")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+source"


def __getattr__(name: str) -> str:
    """``studio.__version__``, read from the installed package's metadata when first asked for:
    ``importlib.metadata`` costs a few tens of milliseconds that the start-up card need not wait for."""
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'studio' has no attribute {name!r}")
