"""``python -m copanalysis``: the command-line interface."""

from copanalysis.cli import main

raise SystemExit(main())
