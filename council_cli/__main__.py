"""`python -m council_cli ...` is `council ...`."""

from council_cli.main import main

raise SystemExit(main())
