"""Moved to :mod:`copanalysis.frames` (the frame contracts live beside
:mod:`copanalysis.schema`); these names stay importable from here."""

from copanalysis.frames import ID_COLUMNS, FrameKind, frame_kind, text_units

__all__ = ["FrameKind", "ID_COLUMNS", "frame_kind", "text_units"]
