"""The leads app's part of /api/v1/: one router per module, mounted by leadtracker/api.py."""
