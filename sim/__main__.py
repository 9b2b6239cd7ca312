"""``python -m sim`` is the ``resim`` command."""

from sim.cli import main

main()
