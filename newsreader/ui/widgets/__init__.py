"""The reader's widgets: tag sidebar, article list, article view, search box."""
