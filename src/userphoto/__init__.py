"""userphoto: one directory of people and their photos, served in many dialects."""

__version__ = "0.1.0"
