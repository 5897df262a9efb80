"""The leads app's web pages, one module per sub-feature; leads/urls.py routes them."""
