"""handpress: accessible static sites, text-only and printer-friendly pages, and tagged PDF handbooks."""

__version__ = "0.1.0"
