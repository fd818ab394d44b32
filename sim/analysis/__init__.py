"""Decision analysis on the vectorised engine: goal seek, cheapest mix, uncertainty, sensitivity."""
