"""Results -> typed report data (:mod:`.report`), model comparisons (:mod:`.compare`) and
figures (:mod:`.plots`); the renderers in :mod:`logitstats.render` turn the data into text."""
