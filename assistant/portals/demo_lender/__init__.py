"""示例贷 (demo-lender): a Simplified-Chinese mobile micro-loan site whose
account closure is buried and guarded the way real 借款 apps do it."""

from .app import ACCOUNTS_BY_ROLE, LENDER, PASSWORDS, SUBMIT_PATH

__all__ = ["ACCOUNTS_BY_ROLE", "LENDER", "PASSWORDS", "SUBMIT_PATH"]
