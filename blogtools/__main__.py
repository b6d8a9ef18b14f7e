from blogtools.cli import run

run()
