"""Network adapters: outbound HTTP the core asks for through its ports."""
