"""The Textual reader: the only package that imports textual."""
