"""The build.py command line."""

from kaohe.cli.main import main

__all__ = ["main"]
