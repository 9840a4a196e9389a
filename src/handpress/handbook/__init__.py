"""The handbook stage: one HTML document per handbook and language (:mod:`.document`), laid out into a
tagged PDF (:mod:`.pdf`) by WeasyPrint (:mod:`.engine`) in one call or, for a big book, in parts
(:mod:`.parts`) numbered as one book (:mod:`.numbers`) and merged (:mod:`.merge`)."""
