import sys

from leadtracker_agent.cli import main

sys.exit(main())
