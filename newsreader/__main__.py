"""Lets `python -m newsreader` run the command line."""

from newsreader.cli import main

raise SystemExit(main())
