"""The command line: the only front end today, and the only place errors become exit statuses.

Owns argument parsing (`main`), one module per command (`commands/`), the terminal's way of asking
for passwords, codes and the final yes (`terminal`), progress lines (`progress`), the end-of-run
summary (`summary`), plain-text tables (`tables`) and plan files for several closures (`plan`).

May import: every other layer. Nothing imports the CLI.
"""
