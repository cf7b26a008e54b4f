"""esg-audit: audit supplier spreadsheets against declarative ESG rule files."""

__version__ = "0.1.0"
