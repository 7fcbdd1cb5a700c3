"""`python -m sito.inspect OUT`: the same as `sito inspect`."""

import sys

from . import main

sys.exit(main())
