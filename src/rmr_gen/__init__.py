"""rmr-gen: versioned, accessible PDFs of regional guidelines and process goals."""

__version__ = "0.1.0"
