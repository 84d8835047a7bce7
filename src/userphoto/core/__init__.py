"""The core: directory, photo pipeline and storage ports. Knows no HTTP and no wire format."""
