"""Plumbing shared by the tabs that work on the window's one :class:`LabSession` (Network, Training,
Backprop)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from gui.widgets.net_session import LabSession


class SessionTabMixin:
    """A tab joined to the main window's shared session: data, model and the one engine thread.

    A tab used on its own (in tests) makes a private session on first use. Subclasses connect their slots in
    :meth:`_connect_session`, which runs once, whichever of :meth:`attach` or :attr:`session` comes first.
    """

    _session: LabSession | None = None
    _connected: bool = False
    _window: Any = None

    @property
    def session(self) -> LabSession:
        if self._session is None:
            parent = self if isinstance(self, QObject) else None  # the tab (a QWidget) owns it
            self._session = LabSession(parent=parent)
        if not self._connected:
            self._connected = True
            self._connect_session(self._session)
        return self._session

    def _connect_session(self, session: LabSession) -> None:
        """Connect this tab's slots to ``session``'s signals (called once)."""

    def _join_window(self, window: Any) -> None:
        """Use ``window``'s shared session (see :meth:`LabSession.for_window`)."""
        self._window = window
        self._session = LabSession.for_window(window)
        _ = self.session
