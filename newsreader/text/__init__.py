"""Pure text functions: sanitising untrusted text, quotation spans, match highlighting."""
