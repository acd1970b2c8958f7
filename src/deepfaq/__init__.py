"""deepfaq: answers deep-learning interview questions by seeded experiments."""

__version__ = "0.1.0"
