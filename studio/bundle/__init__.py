"""Bulletin files (``.bantin``): a bulletin with its recordings and the station jingles it uses, in one file.

Offices without a shared database move work between PCs this way. :mod:`studio.bundle.manifest` is the file's
table of contents, :mod:`studio.bundle.validate` reads one strictly, :mod:`studio.bundle.archive` is the zip
container (written atomically, read in bounded chunks), and :mod:`studio.bundle.transfer` exports a stored
bulletin and imports one as a new draft through the studio's own stores.
"""
