"""Widgets of the coding screen; they show state and post messages, never write to the project."""
