"""Helpers of the skiff command-line tool (tools/skiff), one concern per module."""
