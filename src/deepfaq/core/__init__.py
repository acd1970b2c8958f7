"""The experiment machinery. Knows nothing about any particular question."""
