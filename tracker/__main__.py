"""`python -m tracker`: the same as `python main.py` (used by the start-at-login entry)."""

import sys

from tracker.app import main

sys.exit(main())
