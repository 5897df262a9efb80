"""``{% load script_words %}`` then ``{% script_words "offline" %}``: a browser script's words in
the reader's language (the tag and the words are in lib/script_words.py; this is where Django
looks for a template library)."""

from leadtracker.lib.script_words import register

__all__ = ["register"]
