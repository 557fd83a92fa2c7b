"""closure-assistant: close accounts on lender portals and keep proof that it did."""

__version__ = "0.1.0"
