import sys

from monitor.cli import main

if __name__ == "__main__":  # the parse pool's forkserver re-imports __main__
    sys.exit(main())
