"""Allow ``python -m rmr_gen``."""

from rmr_gen.cli import main

if __name__ == "__main__":
    main()
