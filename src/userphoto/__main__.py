"""The `userphoto` command and `python -m userphoto`: the command line, loaded when run.

`userphoto serve` has granian start its workers with multiprocessing's spawn,
which imports the launching script again in every worker. Kept this small, that import
costs a worker nothing: it loads the app it serves, not typer, rich and every command.
"""

from __future__ import annotations


def main() -> None:
    from userphoto.cli import app

    app(prog_name="userphoto")


if __name__ == "__main__":
    main()
