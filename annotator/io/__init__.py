"""Reading transcript files (and, later, writing exports). Import the submodules directly."""
