"""The studio's Qt window: widgets, model/view adapters, the task runner and translations.

Only this package (and the launcher in ``studio.cli``) imports PySide6; everything it shows comes from
:class:`studio.services.Studio`, built once in :mod:`studio.ui.app`.
"""
