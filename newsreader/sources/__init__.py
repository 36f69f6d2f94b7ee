"""Turning files into articles: decoding, the seed text format, tag splitting, finding files."""
