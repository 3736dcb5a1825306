"""The ``conflict-map`` command line: one command, one module (as rasterio's ``rio``)."""
