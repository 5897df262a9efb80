#!/usr/bin/env python
from leadtracker.cli import main

if __name__ == "__main__":
    main()
