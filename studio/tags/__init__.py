"""Tags: ID3v2.3 via mutagen and the JSON sidecar that travels with every programme."""
