"""Importing leads from spreadsheets: reading the file, mapping its columns and values, writing
the leads in batches, the job the worker runs and its report."""
