"""`python -m userphoto.cli`: the same command line as the `userphoto` script."""

from userphoto.cli import app

app(prog_name="userphoto")
