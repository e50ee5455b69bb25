"""``python -m taskhaven.sdk``: the SDK's command line."""

import sys

from taskhaven.sdk.cli import main

sys.exit(main())
