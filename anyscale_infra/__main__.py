"""`python -m anyscale_infra`: the same as the `anyscale-infra` command."""

from anyscale_infra.cli import main

main(prog_name="anyscale-infra")
