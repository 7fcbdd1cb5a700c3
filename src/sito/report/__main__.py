"""`python -m sito.report OUT [-o report.html]`: the same as `sito report`."""

import sys

from . import main

sys.exit(main())
