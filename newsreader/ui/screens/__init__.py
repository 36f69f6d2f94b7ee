"""The reader's screens: the three-pane reader and the help screen."""
