"""From-scratch implementations, each tested against its reference."""
