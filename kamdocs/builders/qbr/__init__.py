"""The quarterly business review deck (PPTX), customer and internal versions (issue 7)."""
